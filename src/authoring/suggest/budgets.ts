// Teams near or over a budget: from the budget state the edge recorded with each decision
// (context.budget.<id>, when the bundle read it) and the budget refusals. A team's latest state
// counts: windows reset, so an old spike is not today's problem.
import type { DecisionRecord } from '../../durable/decision-types';
import type { Policy, Rule } from '../../policy/types';
import { field, round, slug, teamOf, text } from './fields';
import { cheaperModel } from './models';
import { confidenceOf, type Finder, type Suggestion } from './types';

/** Used / limit at or above this is near the budget. */
export const NEAR_BUDGET = 0.8;
const AMOUNTS = ['costUsd', 'tokens', 'requests'] as const;

interface TeamBudget {
  team: string;
  budget: string;
  latest?: { time: string; used: number; limit: number; amount: string };
  refusals: number;
  records: number;
  expensiveModels: Set<string>;
}

export const findTeamsNearBudget: Finder = ({ records, policies }) => {
  const teamBudgets = teamScopedBudgets(policies);
  const byKey = new Map<string, TeamBudget>();
  const entry = (team: string, budget: string) => {
    const key = `${team}\u0000${budget}`;
    let e = byKey.get(key);
    if (!e) byKey.set(key, (e = { team, budget, refusals: 0, records: 0, expensiveModels: new Set() }));
    return e;
  };
  for (const r of records) {
    const team = teamOf(r);
    if (!team) continue;
    const model = text(r, 'llm.model');
    const refused = r.decision === 'budget_exceeded' ? r.tags?.budget : undefined;
    if (refused && (!teamBudgets || teamBudgets.has(refused))) {
      const e = entry(team, refused);
      e.refusals++;
      if (model && cheaperModel(model)) e.expensiveModels.add(model);
    }
    const state = field(r, 'budget');
    if (!state || typeof state !== 'object') continue;
    for (const budget of Object.keys(state)) {
      if (teamBudgets && !teamBudgets.has(budget)) continue;
      const usage = usageOf(r, budget);
      if (!usage) continue;
      const e = entry(team, budget);
      e.records++;
      if (model && cheaperModel(model)) e.expensiveModels.add(model);
      if (!e.latest || r.time >= e.latest.time) e.latest = { time: r.time, ...usage };
    }
  }
  const out: Suggestion[] = [];
  for (const e of [...byKey.values()].sort((a, b) => (a.team + a.budget < b.team + b.budget ? -1 : 1))) {
    const utilization = e.latest ? e.latest.used / e.latest.limit : 0;
    if (utilization < NEAR_BUDGET && e.refusals === 0) continue;
    const over = utilization >= 1 || e.refusals > 0;
    out.push(suggestion(e, utilization, over));
  }
  return out;
};

/** Budget ids scoped by team (undefined without the policy set: every budget state counts). */
function teamScopedBudgets(policies: Policy[] | undefined): Set<string> | undefined {
  if (!policies) return undefined;
  return new Set(policies.flatMap((p) => (p.budgets ?? []).filter((b) => b.scope === 'team.id').map((b) => b.id)));
}

function usageOf(r: DecisionRecord, budget: string): { used: number; limit: number; amount: string } | undefined {
  for (const amount of AMOUNTS) {
    const used = field(r, `budget.${budget}.used.${amount}`);
    const remaining = field(r, `budget.${budget}.remaining.${amount}`);
    if (typeof used !== 'number' || typeof remaining !== 'number') continue;
    const limit = used + Math.max(0, remaining);
    if (limit > 0) return { used, limit, amount };
  }
  return undefined;
}

function suggestion(e: TeamBudget, utilization: number, over: boolean): Suggestion {
  const id = `budget-${slug(e.team)}-${slug(e.budget)}`;
  const teamIs = { operator: 'eq' as const, field: 'team.id', value: e.team };
  const models = [...e.expensiveModels].sort().slice(0, 3);
  const rules: Rule[] = models.length > 0
    ? models.map((model, i) => ({
        id: `route-${i + 1}`,
        condition: { operator: 'and', conditions: [teamIs, { operator: 'eq', field: 'llm.model', value: model }] },
        action: { decision: 'modify', reason: `${e.team} is ${over ? 'over' : 'near'} budget ${e.budget}: ${model} requests go to ${cheaperModel(model)}`, obligations: [{ type: 'route_model', model: cheaperModel(model)! }] },
      }))
    : [{ id: 'warn-team', condition: teamIs, action: { decision: 'warn', reason: `${e.team} is ${over ? 'over' : 'near'} budget ${e.budget}` } }];
  const percent = Math.round(utilization * 100);
  const state = e.latest ? `${percent}% of budget ${e.budget} used (${e.latest.amount}: ${round(e.latest.used)} of ${round(e.latest.limit)}, at ${e.latest.time})` : `budget ${e.budget}`;
  return {
    id: `team-budget:${e.team}:${e.budget}`,
    category: over ? 'risk' : 'optimization',
    metric: 'budget_utilization',
    recommendation: `${e.team} is ${over ? 'over' : 'near'} its budget: ${state}${e.refusals ? `, ${e.refusals} requests refused` : ''}. ${models.length ? `Route its ${models.join(', ')} requests to cheaper models` : 'Warn its users'}, or raise the limit.`,
    priority: over ? 'high' : 'medium',
    effort: 'low',
    impact: over ? 'high' : 'medium',
    confidence: confidenceOf(e.records + e.refusals),
    evidence: {
      team: e.team, budget: e.budget, utilization: Math.round(utilization * 1000) / 1000, threshold: NEAR_BUDGET, refusals: e.refusals, records: e.records,
      ...(e.latest ? { used: round(e.latest.used), limit: round(e.latest.limit), amount: e.latest.amount, at: e.latest.time } : {}),
    },
    policy: { metadata: { id, description: `${e.team} is ${over ? 'over' : 'near'} budget ${e.budget}.` }, rules },
    tests: models.length > 0
      ? [
          { name: `${e.team}'s ${models[0]} requests go to ${cheaperModel(models[0])}`, context: { team: { id: e.team }, llm: { model: models[0] } }, expect: { obligations: [{ type: 'route_model', model: cheaperModel(models[0])! }] } },
          { name: `another team's ${models[0]} requests are left alone`, context: { team: { id: `not-${e.team}` }, llm: { model: models[0] } }, expect: { obligations: [] } },
        ]
      : [
          { name: `${e.team} is warned`, context: { team: { id: e.team } }, expect: { warnings: 1 } },
          { name: 'another team is not', context: { team: { id: `not-${e.team}` } }, expect: { warnings: 0 } },
        ],
  };
}

