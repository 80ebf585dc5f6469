// The two answers of POST /v1/policies/simulate that the Replay screen shows, as one view: over
// recorded decisions it is a ReplayReport (the edited folder against what was decided then), over
// a synthetic population a SimulationReport (the edited folder against the running bundle).
import type { FinalDecision } from '../policy/types';
import type { SimulationReport } from '../simulate/simulate';

export type Counts = Record<FinalDecision, number>;

/**
 * The part of src/simulate/replay.ts's ReplayReport shown here (that module reaches into the
 * Durable Objects' code, which the page's type check has no types for).
 */
export interface ReplayReport {
  records: number;
  replayed: number;
  recordedBundles: Array<{ id: string; count: number }>;
  before: Counts;
  after: Counts;
  changes: { changed: number; transitions: Array<{ from: FinalDecision; to: FinalDecision; examples: RecordedChange[] }> };
  blocked: { estimatedCostUsd: number };
  notReplayable: { count: number };
  fidelity: { approximateChanges: number; fields: Array<{ field: string; loss: string }> };
}

interface RecordedChange {
  requestId: string;
  time: string;
  teamId?: string;
  userId?: string;
  before: { decidingRules: string[] };
  after: { decidingRules: string[] };
  estimatedCostUsd?: number;
  approximate?: string[];
}

export interface ChangedRow {
  label: string;
  from: string;
  to: string;
  rule: string;
  team: string;
  user: string;
  cost?: number;
  /** Fields a rule read that the record holds only masked or hashed: the change may be approximate. */
  approximate?: string[];
}

export interface ReplayView {
  total: number;
  changed: number;
  /** Allowed before, denied or held after: the estimated spend the change would have stopped. */
  blockedCostUsd: number;
  /** What the edited folder is compared with, and its counts (absent: nothing to compare with). */
  before?: { label: string; counts: Counts };
  after: Counts;
  rows: ChangedRow[];
  /** Lines worth knowing (records without a context, approximate replays). */
  notes: string[];
}

const first = (rules: string[]): string | undefined => rules[0];

export function viewOfRecorded(r: ReplayReport): ReplayView {
  const rows = r.changes.transitions.flatMap((t) =>
    t.examples.map((x) => ({
      label: `${x.time.replace('T', ' ').slice(0, 19)} ${x.requestId.slice(0, 8)}`,
      from: t.from,
      to: t.to,
      rule: first(x.after.decidingRules) ?? first(x.before.decidingRules) ?? '(default)',
      team: x.teamId ?? '–',
      user: x.userId ?? '–',
      cost: x.estimatedCostUsd,
      approximate: x.approximate,
    })),
  );
  const notes: string[] = [];
  if (r.notReplayable.count > 0) notes.push(`${r.notReplayable.count} of ${r.records} records kept no context and were not replayed`);
  if (r.fidelity.approximateChanges > 0) notes.push(`${r.fidelity.approximateChanges} changes read fields the log keeps only masked or hashed (${r.fidelity.fields.map((f) => `${f.field}: ${f.loss}`).join(', ')})`);
  const versions = r.recordedBundles.map((b) => b.id).join(', ');
  return {
    total: r.replayed,
    changed: r.changes.changed,
    blockedCostUsd: r.blocked.estimatedCostUsd,
    before: { label: `recorded${versions ? ` (${versions})` : ''}`, counts: r.before },
    after: r.after,
    rows,
    notes,
  };
}

export function viewOfSynthetic(r: SimulationReport): ReplayView {
  const rows = (r.changes?.transitions ?? []).flatMap((t) =>
    t.examples.map((x) => {
      const ctx = x.context as any;
      const cost = typeof ctx?.llm?.estimatedCost === 'number' ? ctx.llm.estimatedCost : undefined;
      return {
        label: x.label,
        from: t.from,
        to: t.to,
        rule: first(x.after.decidingRules) ?? first(x.before.decidingRules) ?? '(default)',
        team: ctx?.team?.id ?? '–',
        user: ctx?.user?.id ?? '–',
        cost,
      };
    }),
  );
  return {
    total: r.total,
    changed: r.changes?.changed ?? 0,
    blockedCostUsd: rows.filter((x) => x.from === 'allow' && x.to !== 'allow').reduce((n, x) => n + (x.cost ?? 0), 0),
    before: r.compare ? { label: `running ${r.compare.bundle.version}`, counts: r.compare.decisions } : undefined,
    after: r.main.decisions,
    rows,
    notes: r.compare ? [] : ['nothing is running to compare with'],
  };
}
