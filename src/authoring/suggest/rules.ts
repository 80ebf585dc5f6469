// Findings about the rules themselves: rules that never matched the recorded traffic (replayed
// through the policy set in force), and rules that deny a large share of one team's requests.
import { replayDecisions } from '../../simulate/replay';
import { loadBundle } from '../../engine/load';
import type { Condition, Policy } from '../../policy/types';
import { bump, policyDecision, slug, teamOf } from './fields';
import { confidenceOf, type Finder, type Suggestion } from './types';

/** Dead rules need a window of at least this many replayable records. */
export const MIN_RECORDS_FOR_DEAD_RULES = 100;
/** A rule that denies at least this share of a team's requests, */
export const STRICT_SHARE = 0.5;
/** of a team with at least this many requests, is likely too strict for it. */
export const MIN_TEAM_REQUESTS = 20;

export const findDeadRules: Finder = ({ records, policies }) => {
  if (!policies || policies.length === 0) return [];
  const evaluator = loadBundle({ format: 'llm-policy-bundle/v1', version: '0.0.0-suggest', createdAt: '1970-01-01T00:00:00Z', defaultDecision: 'allow', hash: '', policies });
  const report = replayDecisions(evaluator, records, { examples: 0, named: 0 });
  if (report.replayed < MIN_RECORDS_FOR_DEAD_RULES) return [];
  const times = records.filter((r) => r.context).map((r) => r.time).sort();
  const out: Suggestion[] = [];
  for (const rule of report.rules) {
    if (rule.hits > 0) continue;
    const policy = policies.find((p) => p.metadata.id === rule.policyId);
    const source = policy?.rules.find((r) => r.id === rule.ruleId);
    if (!policy || !source || (source.mode ?? policy.metadata.mode) === 'shadow') continue;
    const copy = JSON.parse(JSON.stringify(policy)) as Policy;
    copy.rules = copy.rules.map((r) => (r.id === rule.ruleId ? { ...r, enabled: false } : r));
    out.push({
      id: `dead-rule:${rule.policyId}/${rule.ruleId}`,
      category: 'coverage',
      metric: 'rule_hits',
      recommendation: `Rule ${rule.policyId}/${rule.ruleId} (${rule.decision}) matched none of ${report.replayed} recorded requests: check that its condition still fits the traffic (field names, values), or disable it.`,
      priority: 'low',
      effort: 'low',
      impact: rule.decision === 'deny' ? 'medium' : 'low',
      confidence: confidenceOf(report.replayed),
      evidence: {
        rule: `${rule.policyId}/${rule.ruleId}`, decision: rule.decision, hits: 0, replayed: report.replayed, notReplayable: report.notReplayable.count, from: times[0], to: times[times.length - 1],
        // A rule reading fields the records lost may have matched live: say so.
        lostFields: report.fidelity.fields.filter((f) => f.rules.includes(`${rule.policyId}/${rule.ruleId}`)).map((f) => `${f.field}: ${f.loss}`),
      },
      policy: copy,
      tests: [{ name: `${rule.ruleId} is disabled`, context: {}, expect: { notMatchedRules: [`${rule.policyId}/${rule.ruleId}`] } }],
    });
  }
  return out;
};

export const findStrictRules: Finder = ({ records, policies }) => {
  const perTeam = new Map<string, number>();
  const denies = new Map<string, { rule: string; team: string; count: number; priority: number }>();
  for (const r of records) {
    const team = teamOf(r);
    if (!team) continue;
    bump(perTeam, team);
    if (policyDecision(r) !== 'deny') continue;
    for (const rule of r.decidingRules ?? []) {
      const key = `${rule}\u0000${team}`;
      const matched = (r.matchedRules ?? []).find((m) => typeof m !== 'string' && `${m.policyId}/${m.ruleId}` === rule);
      const d = denies.get(key) ?? { rule, team, count: 0, priority: typeof matched === 'object' ? matched.priority : 0 };
      d.count++;
      denies.set(key, d);
    }
  }
  const out: Suggestion[] = [];
  for (const d of [...denies.values()].sort((a, b) => (a.rule + a.team < b.rule + b.team ? -1 : 1))) {
    const total = perTeam.get(d.team) ?? 0;
    const share = d.count / total;
    if (total < MIN_TEAM_REQUESTS || share < STRICT_SHARE) continue;
    const [policyId, ruleId] = d.rule.split('/');
    const original = policies?.find((p) => p.metadata.id === policyId)?.rules.find((r) => r.id === ruleId)?.condition;
    const teamIs: Condition = { operator: 'eq', field: 'team.id', value: d.team };
    const condition: Condition = original === undefined ? teamIs : { operator: 'and', conditions: [teamIs, JSON.parse(JSON.stringify(original)) as Condition] };
    out.push({
      id: `strict-rule:${d.rule}:${d.team}`,
      category: 'best_practice',
      metric: 'team_deny_share',
      recommendation: `Rule ${d.rule} denied ${d.count} of ${d.team}'s ${total} requests (${Math.round(share * 100)}%): it is likely too strict for this team. Review it; the ready policy is an exception for ${d.team} in shadow mode, to see what it would let through before enforcing it.`,
      priority: share >= 0.8 ? 'high' : 'medium',
      effort: 'medium',
      impact: 'medium',
      confidence: confidenceOf(total),
      evidence: { rule: d.rule, team: d.team, denied: d.count, requests: total, share: Math.round(share * 1000) / 1000, threshold: STRICT_SHARE },
      policy: {
        metadata: { id: `exception-${slug(ruleId ?? d.rule)}-${slug(d.team)}`, mode: 'shadow', description: `A trial exception to ${d.rule} for ${d.team}.` },
        rules: [{ id: 'team-exception', priority: d.priority + 1, condition, action: { decision: 'allow', reason: `exception to ${d.rule} for ${d.team}` } }],
      },
      tests: [{ name: `the exception for ${d.team} is only watched (shadow) until enforced`, context: { team: { id: d.team } }, expect: { notMatchedRules: [`exception-${slug(ruleId ?? d.rule)}-${slug(d.team)}/team-exception`] } }],
    });
  }
  return out;
};

