// The kill switch: an UNSIGNED KV value (key `killswitch`) with which the RolloutCoordinator stops
// a bad canary. The edge cannot sign (the private key stays with the publisher), so it is made
// safe by what it can say instead: only "send 0% to canary X of pointer sequence N". It applies
// only when X is the verified pointer's canary and N its sequence; then the worker serves the
// stable (which the signed pointer names) to everyone. Anything else in it, or any mismatch, and
// it is ignored. It can never widen traffic, name another version or change the stable.
import { z } from 'zod';
import type { GateRow } from './gates';

export const KILL_SWITCH_KEY = 'killswitch';
/** Every stop the coordinator made, newest last (a mirror of its own storage, for the CLI). */
export const KILL_SWITCH_LOG_KEY = 'killswitch-log';
export const KILL_SWITCH_FORMAT = 'llm-policy-killswitch/v1';
export const COORDINATOR_ACTOR = 'rollout-coordinator';

export interface KillSwitch {
  format: typeof KILL_SWITCH_FORMAT;
  /** The canary version to send 0% to. */
  canary: string;
  /** The pointer sequence it was stopped at: any later pointer move supersedes the stop. */
  sequence: number;
  stoppedAt: string;
  reason: string;
  actor: typeof COORDINATOR_ACTOR;
  /** The critical gate table that tripped it. */
  gates: GateRow[];
}

const gateRowSchema = z.strictObject({
  gate: z.enum(['decisions', 'error_rate', 'deny_rate', 'cost_per_request']),
  value: z.number(),
  threshold: z.number().nullable(),
  comparison: z.enum(['<', '<=', '>=']),
  pass: z.boolean(),
  stable: z.number().optional(),
  note: z.string().max(500).optional(),
});

// Strict: a field it has no business carrying (a percent, a stable, a version list) makes the
// whole value a forgery to ignore, not something to half-honour.
const killSwitchSchema = z.strictObject({
  format: z.literal(KILL_SWITCH_FORMAT),
  canary: z.string().min(1).max(128),
  sequence: z.number().int().min(0),
  stoppedAt: z.string(),
  reason: z.string().max(2000),
  actor: z.literal(COORDINATOR_ACTOR),
  gates: z.array(gateRowSchema).max(16),
});

/** What a pointer's reader should do with the kill switch it found. */
export type KillSwitchState =
  | { state: 'none' }
  | { state: 'active'; killSwitch: KillSwitch }
  | { state: 'ignored'; why: string; killSwitch?: KillSwitch };

export interface PointerFacts {
  stable: string;
  canary?: string;
  canaryPercent: number;
  sequence: number;
}

/** Judges the raw KV text of `killswitch` against the verified pointer. Never throws. */
export function judgeKillSwitch(pointer: PointerFacts, text: string | null): KillSwitchState {
  if (text === null) return { state: 'none' };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { state: 'ignored', why: 'the kill switch is not JSON' };
  }
  const parsed = killSwitchSchema.safeParse(doc);
  if (!parsed.success) return { state: 'ignored', why: `the kill switch is malformed: ${parsed.error.issues[0]?.message ?? 'unknown problem'} at ${parsed.error.issues[0]?.path.join('.') || '(root)'}` };
  const killSwitch: KillSwitch = parsed.data;
  const k = killSwitch;
  // The usual way out of a stop: the publisher moved the pointer since.
  if (k.sequence < pointer.sequence) return { state: 'ignored', why: `superseded: it stopped ${k.canary} at pointer sequence ${k.sequence}, and the pointer has moved on to ${pointer.sequence}`, killSwitch };
  if (!pointer.canary || pointer.canaryPercent === 0) return { state: 'ignored', why: `it names ${k.canary}, but the pointer runs no canary`, killSwitch };
  if (k.canary !== pointer.canary) return { state: 'ignored', why: `it names ${k.canary}, not the pointer's canary ${pointer.canary}`, killSwitch };
  if (k.sequence !== pointer.sequence) return { state: 'ignored', why: `it is for pointer sequence ${k.sequence}, newer than this pointer (${pointer.sequence})`, killSwitch };
  return { state: 'active', killSwitch };
}

export function newKillSwitch(fields: { canary: string; sequence: number; stoppedAt: string; reason: string; gates: GateRow[] }): KillSwitch {
  return { format: KILL_SWITCH_FORMAT, ...fields, actor: COORDINATOR_ACTOR };
}
