// Typed settings from the worker's vars and secrets, with their defaults.

export interface Config {
  failOpen: boolean;
  pointerRefreshMs: number;
  maxBodyBytes: number;
  publicKey: string;
  adminToken: string;
  /** LOCAL_DEV=true: the dev credentials may work (still only on loopback hosts). */
  localDevVar: boolean;
  /** ACCESS_LOG_SAMPLE_RATE: the share of plain successes whose access log line is written (middleware/access-line.ts). */
  accessLogSampleRate: number;
  /** Settings a deployed worker cannot serve without; non-empty means answer 503 `misconfigured`. */
  missing: string[];
}

export const DEFAULT_POINTER_REFRESH_SECONDS = 10;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/**
 * 1 in 100 plain allows: refusals, warnings and errors are always logged, every allow has its
 * decision record and /metrics counts every request, so the line of an allow adds little but
 * costs about as much CPU as the rest of the request (and a Workers Logs event).
 */
export const DEFAULT_ACCESS_LOG_SAMPLE_RATE = 0.01;

// Vars do not change within an isolate's life, so parse each env object once.
const parsed = new WeakMap<object, Config>();

export function readConfig(env: Env): Config {
  let config = parsed.get(env);
  if (!config) {
    config = parse(env);
    parsed.set(env, config);
  }
  return config;
}

function parse(env: Env): Config {
  const publicKey = (env.BUNDLE_PUBLIC_KEY ?? '').trim();
  const adminToken = env.ADMIN_TOKEN ?? '';
  const localDevVar = env.LOCAL_DEV === 'true';
  const missing: string[] = [];
  // No public key means no bundle can ever be verified: refuse rather than run unsigned policy.
  if (!publicKey) missing.push('BUNDLE_PUBLIC_KEY');
  // Local mode has the fixed dev admin token; anywhere else an admin token must be set.
  if (!adminToken && !localDevVar) missing.push('ADMIN_TOKEN');
  return {
    failOpen: env.FAIL_OPEN === 'true',
    pointerRefreshMs: positiveNumber(env.POINTER_REFRESH_SECONDS, DEFAULT_POINTER_REFRESH_SECONDS) * 1000,
    maxBodyBytes: Math.floor(positiveNumber(env.MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES)),
    publicKey,
    adminToken,
    localDevVar,
    accessLogSampleRate: fraction(env.ACCESS_LOG_SAMPLE_RATE, DEFAULT_ACCESS_LOG_SAMPLE_RATE),
    missing,
  };
}

function positiveNumber(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return text !== undefined && text.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** A number from 0 to 1; anything else is the default. */
function fraction(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return text !== undefined && text.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : fallback;
}
