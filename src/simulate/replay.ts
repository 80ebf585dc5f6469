// Replay on recorded traffic: re-evaluate the context of each decision record (GET /v1/decisions)
// under a policy set and report, against what was decided then, which decisions change, for whom
// and at what cost. Pure: nothing here reads files or the clock.
//
// A record's context is the one the edge evaluated (enriched, budget state included when the
// bundle read it), made private before it was stored: MASK_FIELDS paths hold "***" and prompts
// are gone (only their hash and size), unless STORE_PROMPTS=true. A rule that reads such a field
// sees "***" or a missing field, so its replayed result may differ from what it would decide on
// the live request; each such read is counted in `fidelity` and the changes it touches say so.
import type { DecisionRecord } from '../durable/decision-types';
import { MASK } from '../durable/decision-privacy';
import { ENRICHED_FIELDS } from '../enrich/enrich';
import { timeFields } from '../enrich/time';
import { conditionFields } from '../policy/condition-fields';
import type { Evaluator, FinalDecision } from '../policy/types';
import { SideTally, type DecisionCounts, type RuleHits } from './simulate';

export interface ReplayOptions {
  /** Examples kept per transition (default 3). */
  examples?: number;
  /** Not-replayable records named in the report (default 100; all are counted). */
  named?: number;
}

export type FieldLoss = 'masked' | 'prompt_hashed' | 'not_recorded';

export interface ReplaySide {
  decision: FinalDecision;
  /** `policyId/ruleId` of the deciding rules; empty for a default decision. */
  decidingRules: string[];
}

export interface ReplayChange {
  requestId: string;
  time: string;
  teamId?: string;
  userId?: string;
  /** The policy's decision then (and, as `outcome`, what the caller got: e.g. budget_exceeded). */
  before: ReplaySide & { outcome: string };
  after: ReplaySide & { reasons: string[] };
  estimatedCostUsd?: number;
  /** Fields some rule read that this record holds only masked, hashed or not at all (`user.email: masked`). */
  approximate?: string[];
}

export interface Count {
  id: string;
  count: number;
}

export interface ReplayTransition {
  from: FinalDecision;
  to: FinalDecision;
  count: number;
  estimatedCostUsd: number;
  /** The rules that decide after the change (for a change to allow: the ones that decided before). */
  rules: Count[];
  teams: Count[];
  users: Count[];
  examples: ReplayChange[];
}

export interface ReplayReport {
  /** Records given. */
  records: number;
  replayed: number;
  /** The bundle replayed. */
  bundle: { version: string; hash: string };
  /** The bundle versions that made the recorded decisions. */
  recordedBundles: Count[];
  /** Policy decisions of the replayed records, then and now. */
  before: DecisionCounts;
  after: DecisionCounts;
  /** What the callers got then, including budget and rate-limit refusals. */
  outcomes: Record<string, number>;
  /** Rules of the replayed bundle with their hits over the replayed records. */
  rules: RuleHits[];
  changes: { changed: number; decidedDifferently: number; transitions: ReplayTransition[] };
  /** Allowed then, denied or held for approval now: what the new policies would have kept from being spent. */
  blocked: { requests: number; estimatedCostUsd: number; actualCostUsd: number };
  /** Denied or held then, allowed now. */
  unblocked: { requests: number; estimatedCostUsd: number };
  notReplayable: { count: number; records: Array<{ requestId: string; reason: string }> };
  fidelity: {
    /** Replayed records in which some rule read a field the record lost. */
    approximateRecords: number;
    /** Of the changes, how many are in such records. */
    approximateChanges: number;
    fields: Array<{ field: string; loss: FieldLoss; records: number; rules: string[] }>;
  };
}

const DECISIONS: readonly FinalDecision[] = ['allow', 'deny', 'needs_approval'];
const AUTHORITATIVE = new Set<string>(DECISIONS);
const PROMPT_FIELDS = new Set(['llm.prompt', 'llm.messages', 'llm.system']);
const ENRICHED = Object.entries(ENRICHED_FIELDS).filter(([kind]) => kind !== 'time').flatMap(([, fields]) => fields);
const TOP = 5;

export function replayDecisions(evaluator: Evaluator, records: DecisionRecord[], opts: ReplayOptions = {}): ReplayReport {
  const maxExamples = opts.examples ?? 3;
  const maxNamed = opts.named ?? 100;
  const tally = new SideTally(evaluator);
  const reads = readFields(evaluator);
  const readsTime = reads.some((r) => r.path === 'time' || r.path.startsWith('time.'));
  const before: DecisionCounts = { allow: 0, deny: 0, needs_approval: 0 };
  const outcomes: Record<string, number> = {};
  const bundles = new Map<string, number>();
  const transitions = new Map<string, TransitionTally>();
  const losses = new Map<string, { field: string; loss: FieldLoss; records: number; rules: string[] }>();
  const notReplayable: ReplayReport['notReplayable'] = { count: 0, records: [] };
  const blocked = { requests: 0, estimatedCostUsd: 0, actualCostUsd: 0 };
  const unblocked = { requests: 0, estimatedCostUsd: 0 };
  let replayed = 0;
  let decidedDifferently = 0;
  let approximateRecords = 0;
  let approximateChanges = 0;

  for (const record of records) {
    if (!record.context) {
      notReplayable.count++;
      if (notReplayable.records.length < maxNamed) notReplayable.records.push({ requestId: record.requestId, reason: missingContextReason(record) });
      continue;
    }
    replayed++;
    bump(outcomes, record.decision);
    bump(bundles, record.bundle?.version ?? 'none');
    const then = recordedSide(record);
    before[then.decision]++;

    const lost = lostFields(record, reads);
    if (lost.length > 0) {
      approximateRecords++;
      for (const l of lost) {
        const key = `${l.field}\u0000${l.loss}`;
        const entry = losses.get(key);
        if (entry) entry.records++;
        else losses.set(key, { field: l.field, loss: l.loss, records: 1, rules: l.rules });
      }
    }

    const context = readsTime ? withRecordTime(record.context, record.time) : record.context;
    const now = tally.add(context);
    if (now.decision === then.decision) {
      if (now.decidingRules.join() !== then.decidingRules.join()) decidedDifferently++;
      continue;
    }
    const cost = costOf(record);
    if (then.decision === 'allow') {
      blocked.requests++;
      blocked.estimatedCostUsd += cost ?? 0;
      blocked.actualCostUsd += record.actualCostUsd ?? 0;
    } else if (now.decision === 'allow') {
      unblocked.requests++;
      unblocked.estimatedCostUsd += cost ?? 0;
    }
    if (lost.length > 0) approximateChanges++;
    const key = `${then.decision}→${now.decision}`;
    let t = transitions.get(key);
    if (!t) transitions.set(key, (t = new TransitionTally(then.decision, now.decision)));
    const change: ReplayChange = {
      requestId: record.requestId,
      time: record.time,
      ...subjectOf(record),
      before: { ...then, outcome: record.decision },
      after: { decision: now.decision, decidingRules: now.decidingRules, reasons: now.reasons },
      ...(cost !== undefined ? { estimatedCostUsd: cost } : {}),
      ...(lost.length > 0 ? { approximate: lost.map((l) => `${l.field}: ${l.loss}`) } : {}),
    };
    t.add(change, cost, t.examples.length < maxExamples);
  }

  const side = tally.report();
  const list = [...transitions.values()].map((t) => t.report()).sort(
    (a, b) => b.count - a.count || DECISIONS.indexOf(a.from) - DECISIONS.indexOf(b.from) || DECISIONS.indexOf(a.to) - DECISIONS.indexOf(b.to),
  );
  return {
    records: records.length,
    replayed,
    bundle: side.bundle,
    recordedBundles: ranked(bundles, Infinity),
    before,
    after: side.decisions,
    outcomes,
    rules: side.rules,
    changes: { changed: list.reduce((n, t) => n + t.count, 0), decidedDifferently, transitions: list },
    blocked: { requests: blocked.requests, estimatedCostUsd: round(blocked.estimatedCostUsd), actualCostUsd: round(blocked.actualCostUsd) },
    unblocked: { requests: unblocked.requests, estimatedCostUsd: round(unblocked.estimatedCostUsd) },
    notReplayable,
    fidelity: {
      approximateRecords,
      approximateChanges,
      fields: [...losses.values()].sort((a, b) => b.records - a.records || (a.field < b.field ? -1 : 1)),
    },
  };
}

/**
 * The policy's decision then. A record's `decision` is what the caller got: a budget, rate-limit
 * or upstream outcome (and a response-stage verdict) comes after the request stage allowed.
 */
export function recordedSide(record: DecisionRecord): ReplaySide {
  if (record.tags?.stage === 'response') return { decision: 'allow', decidingRules: [] };
  if (AUTHORITATIVE.has(record.decision)) return { decision: record.decision as FinalDecision, decidingRules: record.decidingRules ?? [] };
  return { decision: 'allow', decidingRules: [] };
}

function missingContextReason(record: DecisionRecord): string {
  if (record.contextOmitted === 'too_large') return 'context too large to record (over 64 KiB)';
  if (record.tags?.context === 'omitted') return 'context could not be copied when recorded';
  return 'no context recorded';
}

interface ReadField {
  path: string;
  segments: string[];
  rules: string[];
  /** `llm.prompt` etc.: lost to hashing unless STORE_PROMPTS=true. */
  prompt: boolean;
  /** The enriched field it reads, if any: absent in a record made by a bundle that never read it. */
  enriched?: string;
  /** `budget.<id>`: recorded only when the recording bundle read that budget. */
  budget?: string;
}

/** Every distinct path the request-stage conditions of the bundle read, with the rules reading it. */
function readFields(evaluator: Evaluator): ReadField[] {
  const byPath = new Map<string, ReadField>();
  for (const policy of evaluator.bundle.policies) {
    if ((policy.status ?? 'active') !== 'active') continue;
    for (const rule of policy.rules) {
      if (rule.enabled === false || (rule.stage ?? 'request') !== 'request') continue;
      const id = `${policy.metadata.id}/${rule.id}`;
      for (const path of new Set(conditionFields(rule.condition))) {
        let field = byPath.get(path);
        if (!field) {
          const segments = path.split('.');
          const head = segments.slice(0, 2).join('.');
          field = {
            path,
            segments,
            rules: [],
            prompt: PROMPT_FIELDS.has(head),
            enriched: ENRICHED.find((f) => path === f || path.startsWith(`${f}.`)),
            budget: segments[0] === 'budget' && segments.length > 1 ? segments[1] : undefined,
          };
          byPath.set(path, field);
        }
        if (!field.rules.includes(id)) field.rules.push(id);
      }
    }
  }
  return [...byPath.values()];
}

function lostFields(record: DecisionRecord, reads: ReadField[]): Array<{ field: string; loss: FieldLoss; rules: string[] }> {
  const lost: Array<{ field: string; loss: FieldLoss; rules: string[] }> = [];
  const context = record.context!;
  for (const read of reads) {
    const loss = lossOf(context, read, record.prompt !== undefined);
    if (loss) lost.push({ field: read.path, loss, rules: read.rules });
  }
  return lost;
}

function lossOf(context: Record<string, unknown>, read: ReadField, hadPrompt: boolean): FieldLoss | undefined {
  let node: unknown = context;
  for (const segment of read.segments) {
    if (node === MASK) return 'masked';
    node = node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
    if (node === undefined || node === null) break;
  }
  if (node === MASK) return 'masked';
  if (node !== undefined && node !== null) return undefined;
  if (read.prompt && hadPrompt) return 'prompt_hashed';
  if (read.enriched !== undefined) return 'not_recorded';
  if (read.budget !== undefined && !hasKey(context.budget, read.budget)) return 'not_recorded';
  return undefined;
}

function hasKey(v: unknown, key: string): boolean {
  return v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, key);
}

/** The recorded context with time.* of the record's own time where it has none. */
function withRecordTime(context: Record<string, unknown>, time: string): Record<string, unknown> {
  if (context.time !== undefined && context.time !== null) return context;
  const fields = timeFields(new Date(time));
  return fields ? { ...context, time: fields } : context;
}

function costOf(record: DecisionRecord): number | undefined {
  if (typeof record.estimatedCostUsd === 'number') return record.estimatedCostUsd;
  const cost = (record.context?.llm as Record<string, unknown> | undefined)?.estimatedCost;
  return typeof cost === 'number' && Number.isFinite(cost) ? cost : undefined;
}

function subjectOf(record: DecisionRecord): { teamId?: string; userId?: string } {
  const out: { teamId?: string; userId?: string } = {};
  if (record.subject?.teamId !== undefined) out.teamId = record.subject.teamId;
  if (record.subject?.userId !== undefined) out.userId = record.subject.userId;
  return out;
}

class TransitionTally {
  count = 0;
  cost = 0;
  readonly examples: ReplayChange[] = [];
  private readonly rules = new Map<string, number>();
  private readonly teams = new Map<string, number>();
  private readonly users = new Map<string, number>();

  constructor(readonly from: FinalDecision, readonly to: FinalDecision) {}

  add(change: ReplayChange, cost: number | undefined, keep: boolean): void {
    this.count++;
    this.cost += cost ?? 0;
    const deciders = this.to === 'allow' ? change.before.decidingRules : change.after.decidingRules;
    for (const rule of deciders.length > 0 ? deciders : ['(default decision)']) bump(this.rules, rule);
    if (change.teamId !== undefined) bump(this.teams, change.teamId);
    if (change.userId !== undefined) bump(this.users, change.userId);
    if (keep) this.examples.push(change);
  }

  report(): ReplayTransition {
    return {
      from: this.from,
      to: this.to,
      count: this.count,
      estimatedCostUsd: round(this.cost),
      rules: ranked(this.rules, Infinity),
      teams: ranked(this.teams, TOP),
      users: ranked(this.users, TOP),
      examples: this.examples,
    };
  }
}

function bump(counts: Map<string, number> | Record<string, number>, key: string): void {
  if (counts instanceof Map) counts.set(key, (counts.get(key) ?? 0) + 1);
  else counts[key] = (counts[key] ?? 0) + 1;
}

/** Largest first, ties by id; at most `n`. */
function ranked(counts: Map<string, number>, n: number): Count[] {
  return [...counts].map(([id, count]) => ({ id, count })).sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1)).slice(0, n);
}

/** Sums of micro-dollar amounts, without float noise. */
function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
