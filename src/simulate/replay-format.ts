// A ReplayReport for people: decisions then and now, each change with who it hits and what it
// would have blocked, the rules' hits, and what the records could not tell (fidelity).
import type { FinalDecision } from '../policy/types';
import { cell, ruleRows } from './format';
import type { Count, FieldLoss, ReplayChange, ReplayReport } from './replay';

const DECISIONS: readonly FinalDecision[] = ['allow', 'deny', 'needs_approval'];
const LOSSES: Record<FieldLoss, string> = {
  masked: 'masked by MASK_FIELDS: the rule saw "***"',
  prompt_hashed: 'prompt stored only as hash and size (STORE_PROMPTS is off): the rule saw it missing',
  not_recorded: 'not computed by the bundle that recorded it: the rule saw it missing',
};

export function formatReplay(r: ReplayReport, label: string): string {
  const lines: string[] = [];
  lines.push(`${r.replayed} of ${r.records} decision records replayed through ${label} (bundle ${r.bundle.version}, ${r.bundle.hash.slice(0, 19)}…)`);
  if (r.recordedBundles.length > 0) lines.push(`recorded by bundle ${counts(r.recordedBundles)}`);

  lines.push('', 'decisions          then       now');
  for (const d of DECISIONS) lines.push(`  ${d.padEnd(15)}${cell(r.before[d], r.replayed)}${cell(r.after[d], r.replayed)}`.trimEnd());
  const outcomes = Object.entries(r.outcomes).filter(([o]) => !DECISIONS.includes(o as FinalDecision));
  if (outcomes.length > 0) lines.push(`  (then also refused after the policy allowed: ${outcomes.map(([o, n]) => `${o} ${n}`).join(', ')})`);

  lines.push('', `changed decisions: ${r.changes.changed} of ${r.replayed}`);
  for (const t of r.changes.transitions) {
    lines.push(`  ${t.from} → ${t.to}: ${t.count}${t.estimatedCostUsd > 0 ? ` (${usd(t.estimatedCostUsd)} estimated)` : ''}`);
    lines.push(`    ${t.to === 'allow' ? 'no longer decided by' : 'decided by'}: ${counts(t.rules)}`);
    if (t.teams.length > 0) lines.push(`    teams: ${counts(t.teams)}`);
    if (t.users.length > 0) lines.push(`    users: ${counts(t.users)}`);
    for (const e of t.examples) lines.push(`    ${example(e)}`);
  }
  if (r.changes.decidedDifferently > 0) lines.push(`same decision, different deciding rules: ${r.changes.decidedDifferently}`);
  lines.push(`would have blocked: ${r.blocked.requests} allowed requests, ${usd(r.blocked.estimatedCostUsd)} estimated (${usd(r.blocked.actualCostUsd)} actually spent)`);
  if (r.unblocked.requests > 0) lines.push(`would have let through: ${r.unblocked.requests} refused requests, ${usd(r.unblocked.estimatedCostUsd)} estimated`);

  lines.push('', 'rule hits');
  lines.push(...ruleRows(r.rules));

  if (r.notReplayable.count > 0) {
    lines.push('', `not replayable: ${r.notReplayable.count} records without a context`);
    for (const n of r.notReplayable.records) lines.push(`  ${n.requestId}: ${n.reason}`);
    const more = r.notReplayable.count - r.notReplayable.records.length;
    if (more > 0) lines.push(`  … and ${more} more`);
  }
  if (r.fidelity.fields.length > 0) {
    const f = r.fidelity;
    lines.push('', `approximate: ${f.approximateRecords} replayed records (${f.approximateChanges} of the changes) have a rule reading a field the record lost`);
    for (const field of f.fields) lines.push(`  ${field.field} in ${field.records} records, read by ${field.rules.join(', ')}: ${LOSSES[field.loss]}`);
  }
  return `${lines.join('\n')}\n`;
}

function example(e: ReplayChange): string {
  const who = [e.teamId && `team ${e.teamId}`, e.userId && `user ${e.userId}`].filter(Boolean).join(', ');
  const then = e.before.decidingRules.length > 0 ? `${e.before.decision} by ${e.before.decidingRules.join(', ')}` : e.before.decision;
  const now = e.after.decidingRules.length > 0 ? `${e.after.decision} by ${e.after.decidingRules.join(', ')}` : `${e.after.decision} (${e.after.reasons[0] ?? 'default'})`;
  const approx = e.approximate ? `  [approximate: ${e.approximate.join(', ')}]` : '';
  return `${e.requestId} ${e.time}${who ? ` (${who})` : ''}: ${then} → ${now}${approx}`;
}

function counts(list: Count[]): string {
  return list.map((c) => `${c.id} (${c.count})`).join(', ');
}

function usd(n: number): string {
  return `$${n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 6 : 2)}`;
}
