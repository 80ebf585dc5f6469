// GET /healthz (no auth): is this isolate able to decide, and with which bundle.
//   200 {status: "ok", bundle: {version, hash}}
//   503 {status: "no_policy", bundle: null}          nothing verified yet (evaluate fails closed)
//   503 {status: "misconfigured", missing: [...]}    ADMIN_TOKEN / BUNDLE_PUBLIC_KEY not set
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { loaderFor } from '../bundle/registry';
import { waitUntilOf } from '../http/wait-until';

export const health = new Hono<AppEnv>();

health.get('/', async (c) => {
  const config = c.get('config');
  if (config.missing.length > 0) return c.json({ status: 'misconfigured', missing: config.missing, bundle: null }, 503);
  const active = await loaderFor(c.env, config).get(waitUntilOf(c));
  if (!active) return c.json({ status: 'no_policy', bundle: null, failOpen: config.failOpen }, 503);
  const { version, hash } = active.stable;
  const canary = active.canary ? { version: active.canary.version, hash: active.canary.hash, percent: active.pointer.canaryPercent } : undefined;
  return c.json({ status: 'ok', bundle: { version, hash }, ...(canary ? { canary } : {}) });
});
