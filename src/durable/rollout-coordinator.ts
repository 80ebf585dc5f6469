import { DurableObject } from 'cloudflare:workers';
import type { GateReport } from '../rollout/gates';
import type { AutoStopEntry } from '../rollout/history';
import { COORDINATOR_ACTOR, KILL_SWITCH_KEY, KILL_SWITCH_LOG_KEY, newKillSwitch } from '../rollout/kill-switch';
import type { CoordinatorState } from '../rollout/view';
import { log } from '../worker/log';
import type { RolloutEnv } from './env';
import { readRolloutSnapshot } from './rollout-snapshot';

/** How often a running canary's critical gates are checked. */
export const CHECK_INTERVAL_MS = 60_000;
const MAX_STOPS_KEPT = 100;

interface Watch {
  canary: string;
  startedAt: string;
  /** Epoch ms of the watch() that set it: lets an alarm that found no canary see a newer poke. */
  setAt: number;
}

export type CheckOutcome =
  | { canary: null }
  | { canary: string; sequence: number; verdict: GateReport['verdict']; stopped: boolean; alreadyStopped: boolean };

/**
 * The one rollout coordinator (named `rollout`). While the signed pointer runs a canary, its alarm
 * checks the critical gates every minute and, on a breach, writes the kill switch: an unsigned KV
 * value that can only send the canary to 0% (src/rollout/kill-switch.ts, src/rollout/README.md).
 * Workers poke it with watch() when they load a pointer with a canary; with no canary the alarm
 * ends itself. Its own storage keeps the watch, the last check and the log of stops, which it
 * mirrors to KV `killswitch-log` for the CLI.
 */
export class RolloutCoordinator extends DurableObject<RolloutEnv> {
  /** Idempotent: arms the alarm if none is set; a new canary version replaces the watch. */
  async watch(canary: string, startedAt: string): Promise<void> {
    if (typeof canary !== 'string' || canary === '' || canary.length > 128) throw new TypeError('canary must be a version string');
    if (typeof startedAt !== 'string' || Number.isNaN(Date.parse(startedAt))) throw new TypeError('startedAt must be an ISO time');
    const current = await this.ctx.storage.get<Watch>('watch');
    if (!current || current.canary !== canary) await this.ctx.storage.put('watch', { canary, startedAt, setAt: Date.now() } satisfies Watch);
    else if (Date.parse(startedAt) < Date.parse(current.startedAt)) await this.ctx.storage.put('watch', { ...current, startedAt });
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + CHECK_INTERVAL_MS);
  }

  /**
   * The highest pointer sequence any isolate has verified, counting this one. Kept in storage,
   * so an isolate that starts fresh still refuses an older signed pointer put back into KV (an
   * isolate's own memory of what it saw dies with it). The input gate makes get + put atomic.
   */
  async observeSequence(sequence: number): Promise<number> {
    if (!Number.isSafeInteger(sequence) || sequence < 0) throw new TypeError('sequence must be a non-negative integer');
    const highest = (await this.ctx.storage.get<number>('highestSequence')) ?? -1;
    if (sequence <= highest) return highest;
    await this.ctx.storage.put('highestSequence', sequence);
    return sequence;
  }

  async state(): Promise<CoordinatorState & { stops: AutoStopEntry[] }> {
    const [watch, lastCheck, stops, nextCheckAt] = await Promise.all([
      this.ctx.storage.get<Watch>('watch'),
      this.ctx.storage.get<CoordinatorState['lastCheck']>('lastCheck'),
      this.ctx.storage.get<AutoStopEntry[]>('stops'),
      this.ctx.storage.getAlarm(),
    ]);
    return { watching: watch ? { canary: watch.canary, startedAt: watch.startedAt } : null, nextCheckAt: nextCheckAt === null ? null : new Date(nextCheckAt).toISOString(), lastCheck: lastCheck ?? null, stops: stops ?? [] };
  }

  /** One check of the pointer's canary against the critical gates; stops it on a breach. */
  async check(): Promise<CheckOutcome> {
    const snapshot = await readRolloutSnapshot(this.env, (message) => log('warn', 'rollout_gate_var', { message }));
    const { pointer, window } = snapshot;
    if (!pointer || !window) return { canary: null };
    const verdict = window.critical.verdict;
    await this.ctx.storage.put('lastCheck', { at: new Date().toISOString(), canary: window.version, sequence: pointer.sequence, verdict } satisfies CoordinatorState['lastCheck']);
    const stops = (await this.ctx.storage.get<AutoStopEntry[]>('stops')) ?? [];
    // Its own log, not the KV read (which may lag its own write), says whether this run was stopped already.
    const alreadyStopped = snapshot.killSwitch.state === 'active' || stops.some((s) => s.canary === window.version && s.sequence === pointer.sequence);
    if (verdict !== 'fail' || alreadyStopped) return { canary: window.version, sequence: pointer.sequence, verdict, stopped: false, alreadyStopped };

    const failing = window.critical.rows.filter((r) => r.threshold !== null && !r.pass);
    const reason = `critical gate breach: ${failing.map((r) => `${r.gate} ${r.value.toPrecision(3)} ${r.comparison === '<=' ? '>' : 'not <'} ${r.threshold!.toPrecision(3)}`).join(', ')}`;
    const killSwitch = newKillSwitch({ canary: window.version, sequence: pointer.sequence, stoppedAt: new Date().toISOString(), reason, gates: window.critical.rows });
    // The kill switch first: it is what stops traffic; the log only explains it.
    await this.env.BUNDLES.put(KILL_SWITCH_KEY, JSON.stringify(killSwitch));
    const entry: AutoStopEntry = { action: 'auto-stop', actor: COORDINATOR_ACTOR, at: killSwitch.stoppedAt, canary: killSwitch.canary, sequence: killSwitch.sequence, reason, gates: killSwitch.gates };
    const kept = [...stops, entry].slice(-MAX_STOPS_KEPT);
    await this.ctx.storage.put('stops', kept);
    await this.env.BUNDLES.put(KILL_SWITCH_LOG_KEY, JSON.stringify(kept));
    log('warn', 'canary_auto_stopped', { canary: entry.canary, sequence: entry.sequence, reason });
    return { canary: window.version, sequence: pointer.sequence, verdict, stopped: true, alreadyStopped: false };
  }

  override async alarm(): Promise<void> {
    const startedAt = Date.now();
    let running = true;
    try {
      running = (await this.check()).canary !== null;
    } catch (error) {
      // Keep watching: a KV or counter read that failed once must not end the checks for good.
      log('error', 'rollout_check_failed', { error: String(error) });
    }
    if (running) {
      await this.ctx.storage.setAlarm(Date.now() + CHECK_INTERVAL_MS);
      return;
    }
    // No canary: stop, unless a worker poked in a new canary while this check ran.
    const watch = await this.ctx.storage.get<Watch>('watch');
    if (watch && watch.setAt >= startedAt) await this.ctx.storage.setAlarm(Date.now() + CHECK_INTERVAL_MS);
    else await this.ctx.storage.delete('watch');
  }
}
