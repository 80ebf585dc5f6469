// The per-isolate token digest cache: it saves hashing the caller's token on every request, and
// must not let a revoked key live any longer than before.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/bundle/index';
import { ClientKeyStore, KEY_PREFIX } from '../../src/worker/auth/client-keys';
import { cachedDigestCount, MAX_CACHED_DIGESTS, tokenDigest } from '../../src/worker/auth/token-digest';
import { call, json } from './support/http';
import { ADMIN, BASE_POLICIES, publish } from './support/publish';

const evaluateBody = { context: { llm: { model: 'gpt-4o' } } };

beforeAll(async () => {
  await publish(BASE_POLICIES, '1.0.0');
});

describe('token digest cache', () => {
  it('gives the SHA-256 hex that keys the KV record, the same on every call', async () => {
    const first = await tokenDigest('lpe_digest-test');
    expect(first.hex).toBe(await sha256Hex('lpe_digest-test'));
    expect(await tokenDigest('lpe_digest-test')).toEqual(first);
  });

  it('holds at most MAX_CACHED_DIGESTS tokens', async () => {
    for (let i = 0; i < MAX_CACHED_DIGESTS + 50; i++) await tokenDigest(`lpe_flood-${i}`);
    expect(cachedDigestCount()).toBe(MAX_CACHED_DIGESTS);
  });

  it('a key used again and again stops working at once when deleted in this isolate', async () => {
    const created = await json(await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 'digest-team', tier: 'pro' } } } }));
    for (let i = 0; i < 3; i++) expect((await call('/v1/evaluate', { token: created.key, body: evaluateBody })).status).toBe(200);
    expect((await call(`/v1/keys/${created.id}`, { method: 'DELETE', token: ADMIN })).status).toBe(200);
    expect((await call('/v1/evaluate', { token: created.key, body: evaluateBody })).status).toBe(401);
  });

  it('a key deleted elsewhere stops when the record TTL runs out, as before (the digest is not the record)', async () => {
    let now = 1_000_000;
    const store = new ClientKeyStore({ now: () => now, positiveTtlMs: 30_000 });
    const { key } = await store.create(env.BUNDLES, { team: { id: 'elsewhere' } });
    const { hex } = await tokenDigest(key);
    expect((await store.lookupHash(env.BUNDLES, hex))?.subject).toEqual({ team: { id: 'elsewhere' } });
    // Another isolate deletes it: KV loses the record, this isolate is not told.
    await env.BUNDLES.delete(KEY_PREFIX + hex);
    now += 29_000;
    expect(await store.lookupHash(env.BUNDLES, (await tokenDigest(key)).hex)).not.toBeNull();
    now += 2_000;
    expect(await store.lookupHash(env.BUNDLES, (await tokenDigest(key)).hex)).toBeNull();
  });
});
