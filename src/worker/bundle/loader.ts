// Loads the policy bundles an isolate serves, from KV, trusting nothing it has not verified:
//   pointer (signed)  ->  bundle:<stable> (+ bundle:<canary>)  ->  hash + Ed25519 signature  ->
//   version equals what the pointer names  ->  compile once per version+hash.
// Requests never wait on KV except the first one in an isolate (nothing to serve yet): later
// re-reads happen at most every refreshMs, in the background (waitUntil). Anything refused is
// logged with its reason and the last good bundles keep serving.
import { parseBundle, verifyBundleDetailed, verifyPointer, type SignedPointer } from '../../bundle/index';
import { loadBundle } from '../../engine/index';
import type { Bundle, Evaluator } from '../../policy/types';
import { judgeKillSwitch, KILL_SWITCH_KEY, type KillSwitch } from '../../rollout/kill-switch';

export const POINTER_KEY = 'pointer';
export const bundleKey = (version: string): string => `bundle:${version}`;

export interface LoadedBundle {
  version: string;
  hash: string;
  evaluator: Evaluator;
}

export interface ActiveBundles {
  pointer: SignedPointer;
  stable: LoadedBundle;
  /** Present when the pointer names a canary at more than 0% and it verified. */
  canary?: LoadedBundle;
  /**
   * Set when the rollout kill switch stopped the pointer's canary: `canary` is then absent, so
   * everyone gets the stable (src/rollout/kill-switch.ts: it can only narrow, never widen).
   */
  stopped?: KillSwitch;
}

export type RejectReason =
  | 'pointer_missing'
  | 'pointer_malformed'
  | 'pointer_signature'
  | 'pointer_replay'
  | 'bundle_missing'
  | 'bundle_malformed'
  | 'bundle_signature'
  | 'bundle_hash'
  | 'version_mismatch'
  | 'compile_error';

export type RefreshOutcome = { status: 'unchanged' } | { status: 'updated' } | { status: 'rejected'; reason: RejectReason; message: string };

export interface LoaderEvent {
  event: 'bundle_loaded' | 'bundle_rejected' | 'canary_rejected' | 'canary_stopped' | 'kill_switch_ignored' | 'sequence_guard_unavailable';
  reason?: RejectReason;
  message?: string;
  version?: string;
  sequence?: number;
  /** Where a load's time went (ms): KV reads, parse + hash + signature checks, compile. */
  timings?: LoadTimings;
}

export interface LoadTimings {
  /** KV reads and the replay check's round trip, summed (the check overlaps verify and compile). */
  kvMs: number;
  verifyMs: number;
  compileMs: number;
}

export interface BundleLoaderOptions {
  kv: KVNamespace;
  publicKey: string;
  refreshMs: number;
  /** Milliseconds clock; tests inject one to drive refresh timing. */
  now?: () => number;
  /** Compiles a verified bundle; the engine's loadBundle unless a test swaps it. */
  compile?: (bundle: Bundle) => Evaluator;
  onEvent?: (e: LoaderEvent) => void;
  /** After a new pointer is adopted, in the background (the reading request's waitUntil): pokes the rollout coordinator. */
  onAdopted?: (active: ActiveBundles) => Promise<unknown>;
  /**
   * Records a verified pointer's sequence where it outlives this isolate and returns the highest
   * sequence ever seen (the worker uses the RolloutCoordinator). When it cannot be reached the
   * loader falls back to its own memory and reports `sequence_guard_unavailable`.
   */
  sequenceGuard?: (sequence: number) => Promise<number>;
}

class Rejected extends Error {
  constructor(readonly reason: RejectReason, message: string) {
    super(message);
  }
}

const MAX_CACHED_EVALUATORS = 8;
const STUCK_READ_MS = 30_000;

export class BundleLoader {
  private current?: ActiveBundles;
  /** Raw pointer text of the last complete adoption: an identical re-read needs no verification. */
  private currentPointerText?: string;
  /** Raw kill switch text read with it: a change there is a change too. */
  private currentKillText?: string | null;
  private adopted?: Promise<unknown>;
  private highestSequence = -1;
  private lastCheckAt = Number.NEGATIVE_INFINITY;
  private inflight?: Promise<RefreshOutcome>;
  private readonly evaluators = new Map<string, Evaluator>();
  private timings: LoadTimings = { kvMs: 0, verifyMs: 0, compileMs: 0 };
  private lastRejection?: { reason: RejectReason; message: string; at: number };

  private readonly kv: KVNamespace;
  private readonly publicKey: string;
  private readonly refreshMs: number;
  private readonly now: () => number;
  private readonly compile: (bundle: Bundle) => Evaluator;
  private readonly onEvent: (e: LoaderEvent) => void;
  private readonly onAdopted?: (active: ActiveBundles) => Promise<unknown>;
  private readonly sequenceGuard?: (sequence: number) => Promise<number>;

  constructor(opts: BundleLoaderOptions) {
    this.kv = opts.kv;
    this.publicKey = opts.publicKey;
    this.refreshMs = opts.refreshMs;
    this.now = opts.now ?? Date.now;
    this.compile = opts.compile ?? loadBundle;
    this.onEvent = opts.onEvent ?? (() => undefined);
    this.onAdopted = opts.onAdopted;
    this.sequenceGuard = opts.sequenceGuard;
  }

  /** What serves now, without touching KV. */
  get active(): ActiveBundles | undefined {
    return this.current;
  }

  get rejection(): { reason: RejectReason; message: string; at: number } | undefined {
    return this.lastRejection;
  }

  /**
   * The bundles to serve. Waits for KV only when there is nothing to serve yet; otherwise a due
   * re-read runs in the background through `waitUntil`.
   */
  async get(waitUntil?: (p: Promise<unknown>) => void): Promise<ActiveBundles | undefined> {
    const due = this.now() - this.lastCheckAt >= this.refreshMs;
    if (this.current === undefined) {
      if (due || this.inflight) await this.refresh(waitUntil);
      return this.current;
    }
    if (due && !this.inflight) void this.refresh(waitUntil);
    return this.current;
  }

  /**
   * Re-reads the pointer now; concurrent callers share one read. The read is registered with the
   * starting request's waitUntil: Workers cancel a finished request's I/O, and other requests may
   * be waiting on this one.
   */
  refresh(waitUntil?: (p: Promise<unknown>) => void): Promise<RefreshOutcome> {
    // A read that never settles (its request's I/O torn down without waitUntil) must not block forever.
    if (this.inflight && this.now() - this.lastCheckAt > STUCK_READ_MS) this.inflight = undefined;
    if (!this.inflight) {
      this.lastCheckAt = this.now();
      const pending = this.readAndAdopt().finally(() => {
        if (this.inflight === pending) this.inflight = undefined;
      });
      this.inflight = pending;
      waitUntil?.(pending.then(() => this.adopted));
    }
    return this.inflight;
  }

  private async readAndAdopt(): Promise<RefreshOutcome> {
    this.timings = { kvMs: 0, verifyMs: 0, compileMs: 0 };
    this.adopted = undefined;
    try {
      const [text, killText] = await this.timed('kvMs', () => Promise.all([this.kv.get(POINTER_KEY), this.kv.get(KILL_SWITCH_KEY)]));
      if (text === null) throw new Rejected('pointer_missing', 'no pointer in KV: nothing has been published');
      if (text === this.currentPointerText && killText === this.currentKillText) return { status: 'unchanged' };
      const pointer = await this.verifyPointerText(text);
      // The replay check (a Durable Object round trip, the slowest step of a cold start) runs beside
      // the stable bundle's read, verify and compile, not before them: nothing is served until it
      // has passed, and a replayed pointer is refused as a replay even if its bundle also fails.
      const sequenceChecked = this.checkSequence(pointer);
      sequenceChecked.catch(() => undefined); // awaited below on every path
      const stable = await this.loadVersion(pointer.stable, this.current?.stable).catch(async (e: unknown) => {
        await sequenceChecked;
        throw e;
      });
      await sequenceChecked;
      const stopped = this.killSwitchFor(pointer, killText);
      const canary = stopped ? undefined : await this.loadCanary(pointer);
      this.current = { pointer, stable, ...(canary ? { canary } : {}), ...(stopped ? { stopped } : {}) };
      // A canary that failed is retried on the next read: do not remember this text as complete.
      this.currentPointerText = canary || stopped || !pointer.canary || pointer.canaryPercent === 0 ? text : undefined;
      this.currentKillText = killText;
      this.adopted = this.onAdopted?.(this.current).catch(() => undefined);
      this.onEvent({ event: 'bundle_loaded', version: stable.version, sequence: pointer.sequence, timings: this.timings });
      return { status: 'updated' };
    } catch (e) {
      const reason: RejectReason = e instanceof Rejected ? e.reason : 'compile_error';
      const message = e instanceof Error ? e.message : String(e);
      this.lastRejection = { reason, message, at: this.now() };
      this.onEvent({ event: 'bundle_rejected', reason, message, version: this.current?.stable.version });
      return { status: 'rejected', reason, message };
    }
  }

  private async verifyPointerText(text: string): Promise<SignedPointer> {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new Rejected('pointer_malformed', 'pointer is not JSON');
    }
    const verified = await this.timed('verifyMs', () => verifyPointer(doc, this.publicKey));
    if (!verified.ok) {
      const reason = verified.reason === 'malformed' ? 'pointer_malformed' : 'pointer_signature';
      throw new Rejected(reason, `pointer refused (${verified.reason}): ${verified.message}`);
    }
    return verified.pointer;
  }

  /** Refuses a pointer older than the highest sequence seen (here, or by the guard: other isolates). */
  private async checkSequence(pointer: SignedPointer): Promise<void> {
    const persisted = await this.persistedHighest(pointer.sequence);
    if (persisted > this.highestSequence) this.highestSequence = persisted;
    if (pointer.sequence < this.highestSequence) {
      throw new Rejected('pointer_replay', `pointer sequence ${pointer.sequence} is older than ${this.highestSequence}, already seen: replay refused`);
    }
    // Remember the highest verified sequence even if its bundle is not loadable yet (KV may show
    // the pointer before the bundle): an older pointer must not win in the meantime.
    this.highestSequence = pointer.sequence;
  }

  /** The guard's highest sequence; this isolate's own when the guard is absent or fails. */
  private async persistedHighest(sequence: number): Promise<number> {
    if (!this.sequenceGuard) return this.highestSequence;
    try {
      return await this.timed('kvMs', () => this.sequenceGuard!(sequence));
    } catch (e) {
      this.onEvent({ event: 'sequence_guard_unavailable', sequence, message: e instanceof Error ? e.message : String(e) });
      return this.highestSequence;
    }
  }

  /** The kill switch, only if it stops exactly this pointer's canary; any other is ignored and logged. */
  private killSwitchFor(pointer: SignedPointer, killText: string | null): KillSwitch | undefined {
    const judged = judgeKillSwitch(pointer, killText);
    if (judged.state === 'active') {
      if (this.current?.stopped?.stoppedAt !== judged.killSwitch.stoppedAt) this.onEvent({ event: 'canary_stopped', version: pointer.canary, sequence: pointer.sequence, message: judged.killSwitch.reason });
      return judged.killSwitch;
    }
    if (judged.state === 'ignored' && killText !== this.currentKillText) this.onEvent({ event: 'kill_switch_ignored', version: pointer.canary, sequence: pointer.sequence, message: judged.why });
    return undefined;
  }

  private async loadCanary(pointer: SignedPointer): Promise<LoadedBundle | undefined> {
    if (!pointer.canary || pointer.canaryPercent === 0) return undefined;
    try {
      return await this.loadVersion(pointer.canary, this.current?.canary);
    } catch (e) {
      // A bad canary must not take the stable version down: serve stable to everyone.
      const reason: RejectReason = e instanceof Rejected ? e.reason : 'compile_error';
      const message = e instanceof Error ? e.message : String(e);
      this.lastRejection = { reason, message, at: this.now() };
      this.onEvent({ event: 'canary_rejected', reason, message, version: pointer.canary, sequence: pointer.sequence });
      return undefined;
    }
  }

  private async loadVersion(version: string, serving?: LoadedBundle): Promise<LoadedBundle> {
    const text = await this.timed('kvMs', () => this.kv.get(bundleKey(version)));
    if (text === null) throw new Rejected('bundle_missing', `pointer names ${version} but KV has no ${bundleKey(version)}`);
    const started = performance.now();
    let bundle: Bundle;
    try {
      bundle = parseBundle(text, bundleKey(version));
    } catch (e) {
      throw new Rejected('bundle_malformed', `${bundleKey(version)}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const verified = await verifyBundleDetailed(bundle, this.publicKey);
    this.timings.verifyMs += performance.now() - started;
    if (!verified.ok) {
      const reason = verified.reason === 'hash_mismatch' ? 'bundle_hash' : verified.reason === 'malformed' ? 'bundle_malformed' : 'bundle_signature';
      throw new Rejected(reason, `${bundleKey(version)} refused (${verified.reason}): ${verified.message}`);
    }
    if (bundle.version !== version) {
      throw new Rejected('version_mismatch', `${bundleKey(version)} holds version ${bundle.version}, not ${version}`);
    }
    if (serving && serving.version === version && serving.hash === bundle.hash) return serving;
    return { version, hash: bundle.hash, evaluator: this.evaluatorFor(bundle) };
  }

  private evaluatorFor(bundle: Bundle): Evaluator {
    const key = `${bundle.version}@${bundle.hash}`;
    let evaluator = this.evaluators.get(key);
    if (!evaluator) {
      const started = performance.now();
      try {
        evaluator = this.compile(bundle);
      } catch (e) {
        throw new Rejected('compile_error', `bundle ${bundle.version} does not compile: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        this.timings.compileMs += performance.now() - started;
      }
      if (this.evaluators.size >= MAX_CACHED_EVALUATORS) this.evaluators.delete(this.evaluators.keys().next().value as string);
      this.evaluators.set(key, evaluator);
    }
    return evaluator;
  }

  private async timed<T>(field: keyof LoadTimings, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.timings[field] += performance.now() - started;
    }
  }
}
