// One BundleLoader per isolate: compiled evaluators live as long as the isolate does.
import type { Config } from '../config';
import { log } from '../log';
import { bundleRejections } from '../metrics/index';
import { BundleLoader, type LoaderEvent } from './loader';
import { pointerSequenceGuard, watchCanary } from '../../durable/rollout-client';

let loader: BundleLoader | undefined;
let loaderSettings = '';

export function loaderFor(env: Env, config: Config): BundleLoader {
  const settings = `${config.publicKey}|${config.pointerRefreshMs}`;
  if (!loader || loaderSettings !== settings) {
    // onAdopted: a pointer with a canary starts the rollout coordinator's checks (idempotent).
    const onAdopted = (active: { pointer: { canary?: string; canaryPercent: number; updatedAt: string } }) => watchCanary(env, active.pointer);
    const rolloutEnv = env;
    loader = new BundleLoader({
      kv: env.BUNDLES, publicKey: config.publicKey, refreshMs: config.pointerRefreshMs, onEvent: report, onAdopted,
      // Replay protection that survives isolate restarts (security: an old signed pointer put back in KV).
      sequenceGuard: pointerSequenceGuard(rolloutEnv),
    });
    loaderSettings = settings;
  }
  return loader;
}

function report(e: LoaderEvent): void {
  if (e.event === 'bundle_loaded') {
    const t = e.timings;
    const timings = t ? { kvMs: round(t.kvMs), verifyMs: round(t.verifyMs), compileMs: round(t.compileMs) } : {};
    log('info', e.event, { version: e.version, sequence: e.sequence, ...timings });
    return;
  }
  // Rollout kill switch: honoured (the canary serves 0%) or ignored; neither is a bundle rejection.
  if (e.event === 'canary_stopped' || e.event === 'kill_switch_ignored' || e.event === 'sequence_guard_unavailable') {
    log('warn', e.event, { version: e.version, sequence: e.sequence, message: e.message });
    return;
  }
  bundleRejections.inc({ reason: e.reason ?? 'unknown' });
  // Kept bundles keep serving; the log says which and why the new one was refused.
  log('warn', e.event, { reason: e.reason, message: e.message, version: e.version, sequence: e.sequence });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
