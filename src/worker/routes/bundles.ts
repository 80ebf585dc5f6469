// GET /v1/bundles          versions stored in KV (admin)
// GET /v1/bundles/active   the pointer in KV and what this isolate runs (admin)
import { Hono } from 'hono';
import { compareSemver, verifyPointer } from '../../bundle/index';
import type { AppEnv } from '../app-env';
import { POINTER_KEY } from '../bundle/loader';
import { loaderFor } from '../bundle/registry';
import { waitUntilOf } from '../http/wait-until';
import { requireAdmin } from '../middleware/auth';

const BUNDLE_PREFIX = 'bundle:';

export const bundles = new Hono<AppEnv>();

bundles.use(requireAdmin());

bundles.get('/', async (c) => {
  const versions: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await c.env.BUNDLES.list({ prefix: BUNDLE_PREFIX, cursor });
    for (const key of page.keys) versions.push(key.name.slice(BUNDLE_PREFIX.length));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  versions.sort(safeCompare);
  return c.json({ versions });
});

bundles.get('/active', async (c) => {
  const config = c.get('config');
  const loader = loaderFor(c.env, config);
  const active = await loader.get(waitUntilOf(c));
  const text = await c.env.BUNDLES.get(POINTER_KEY);
  const stored = text === null ? null : await describePointer(text, config.publicKey);
  const running = active
    ? {
        sequence: active.pointer.sequence,
        stable: { version: active.stable.version, hash: active.stable.hash },
        ...(active.canary ? { canary: { version: active.canary.version, hash: active.canary.hash, percent: active.pointer.canaryPercent } } : {}),
      }
    : null;
  const rejection = loader.rejection;
  return c.json({
    pointer: stored,
    running,
    ...(rejection ? { lastRejection: { reason: rejection.reason, message: rejection.message } } : {}),
  });
});

async function describePointer(text: string, publicKey: string): Promise<Record<string, unknown>> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { valid: false, problem: 'pointer is not JSON' };
  }
  const verified = await verifyPointer(doc, publicKey);
  if (!verified.ok) return { valid: false, problem: `${verified.reason}: ${verified.message}` };
  const { signature: _signature, ...pointer } = verified.pointer;
  return { valid: true, ...pointer };
}

function safeCompare(a: string, b: string): number {
  try {
    return compareSemver(a, b);
  } catch {
    return a < b ? -1 : a > b ? 1 : 0;
  }
}
