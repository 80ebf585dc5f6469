// The KV bundle loader: verifies pointer and bundles before use, refuses tampering and replays,
// keeps the last good bundle, refreshes on its own clock without making requests wait.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/bundle/index';
import type { RolloutCoordinator } from '../../src/durable/rollout-coordinator';
import type { RolloutEnv } from '../../src/durable/env';
import { BundleLoader, type LoaderEvent } from '../../src/worker/bundle/loader';
import { BASE_POLICIES, buildBundle, putBundle, putPointer } from './support/publish';

const REFRESH_MS = 10_000;
let clock = 0;
let events: LoaderEvent[];

function newLoader(): BundleLoader {
  return new BundleLoader({ kv: env.BUNDLES, publicKey: env.BUNDLE_PUBLIC_KEY!, refreshMs: REFRESH_MS, now: () => clock, onEvent: (e) => events.push(e) });
}

async function clearKv(): Promise<void> {
  const { keys } = await env.BUNDLES.list();
  await Promise.all(keys.map((k) => env.BUNDLES.delete(k.name)));
}

beforeEach(async () => {
  clock = 1_000_000;
  events = [];
  await clearKv();
});

describe('first load', () => {
  it('serves a verified bundle named by a verified pointer', async () => {
    const bundle = await buildBundle(BASE_POLICIES, '1.0.0');
    await putBundle(bundle);
    await putPointer({ stable: '1.0.0', sequence: 1 });
    const active = await newLoader().get();
    expect(active?.stable).toMatchObject({ version: '1.0.0', hash: bundle.hash });
    expect(active?.stable.evaluator.evaluate({ team: { tier: 'free' }, llm: { model: 'gpt-4o' } }).decision).toBe('deny');
  });

  it('registers the first read with waitUntil, so requests waiting on it survive the one that started it', async () => {
    await putBundle(await buildBundle(BASE_POLICIES, '1.0.0'));
    await putPointer({ stable: '1.0.0', sequence: 1 });
    const pending: Promise<unknown>[] = [];
    const loader = newLoader();
    const [first, second] = await Promise.all([loader.get((p) => pending.push(p)), loader.get((p) => pending.push(p))]);
    expect(pending).toHaveLength(1);
    expect(first?.stable.version).toBe('1.0.0');
    expect(second).toBe(first);
  });

  it('has nothing to serve without a pointer, and says why', async () => {
    const loader = newLoader();
    expect(await loader.get()).toBeUndefined();
    expect(events).toEqual([expect.objectContaining({ event: 'bundle_rejected', reason: 'pointer_missing' })]);
  });

  it.each([
    ['one changed byte', async () => JSON.stringify(await buildBundle(BASE_POLICIES, '1.0.0')).replace('free tier', 'free tieR'), 'bundle_hash'],
    ['signed with another key', async () => JSON.stringify(await buildBundle(BASE_POLICIES, '1.0.0', (await generateKeyPair()).privateKey)), 'bundle_signature'],
    ['no signature', async () => { const { signature: _s, ...unsigned } = await buildBundle(BASE_POLICIES, '1.0.0'); return JSON.stringify(unsigned); }, 'bundle_signature'],
    ['not JSON', async () => '{"format":', 'bundle_malformed'],
  ])('refuses a bundle with %s', async (_name, make, reason) => {
    await putBundle(await make(), '1.0.0');
    await putPointer({ stable: '1.0.0', sequence: 1 });
    expect(await newLoader().get()).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ event: 'bundle_rejected', reason });
  });

  it('refuses a bundle stored under a version it does not hold', async () => {
    await putBundle(await buildBundle(BASE_POLICIES, '0.9.0'), '1.0.0');
    await putPointer({ stable: '1.0.0', sequence: 1 });
    expect(await newLoader().get()).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ reason: 'version_mismatch' });
  });

  it('refuses a pointer signed with another key', async () => {
    await putBundle(await buildBundle(BASE_POLICIES, '1.0.0'));
    await putPointer({ stable: '1.0.0', sequence: 1 }, (await generateKeyPair()).privateKey);
    expect(await newLoader().get()).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ reason: 'pointer_signature' });
  });
});

describe('updates', () => {
  const V2 = BASE_POLICIES.replace('value: gpt-4o }', 'value: gpt-4o-mini }');

  async function loadedAt100(): Promise<BundleLoader> {
    await putBundle(await buildBundle(BASE_POLICIES, '1.0.0'));
    await putPointer({ stable: '1.0.0', sequence: 5 });
    const loader = newLoader();
    await loader.get();
    return loader;
  }

  it('re-reads the pointer only after the refresh interval, in the background', async () => {
    const loader = await loadedAt100();
    await putBundle(await buildBundle(V2, '1.1.0'));
    await putPointer({ stable: '1.1.0', sequence: 6 });

    clock += REFRESH_MS - 1;
    const pending: Promise<unknown>[] = [];
    expect((await loader.get((p) => pending.push(p)))?.stable.version).toBe('1.0.0');
    expect(pending).toHaveLength(0);

    clock += 1;
    // Due: this request is still answered from what is loaded; the read runs in waitUntil.
    expect((await loader.get((p) => pending.push(p)))?.stable.version).toBe('1.0.0');
    expect(pending).toHaveLength(1);
    await Promise.all(pending);
    expect(loader.active?.stable.version).toBe('1.1.0');
  });

  it('keeps the last good bundle when the new one is tampered with', async () => {
    const loader = await loadedAt100();
    const tampered = JSON.stringify(await buildBundle(V2, '1.1.0')).replace('gpt-4o-mini', 'gpt-4o-nano');
    await putBundle(tampered, '1.1.0');
    await putPointer({ stable: '1.1.0', sequence: 6 });
    expect(await loader.refresh()).toMatchObject({ status: 'rejected', reason: 'bundle_hash' });
    expect(loader.active?.stable.version).toBe('1.0.0');
    expect(events.at(-1)).toMatchObject({ event: 'bundle_rejected', reason: 'bundle_hash', version: '1.0.0' });
  });

  it('refuses a replayed pointer with a lower sequence', async () => {
    const loader = await loadedAt100();
    await putBundle(await buildBundle(V2, '1.1.0'));
    await putPointer({ stable: '1.1.0', sequence: 6 });
    await loader.refresh();
    expect(loader.active?.stable.version).toBe('1.1.0');

    // An attacker with KV write access puts back the old (validly signed) pointer.
    await putPointer({ stable: '1.0.0', sequence: 5 });
    expect(await loader.refresh()).toMatchObject({ status: 'rejected', reason: 'pointer_replay' });
    expect(loader.active?.stable.version).toBe('1.1.0');
  });

  it('refuses an older pointer after an isolate restart too: the highest sequence outlives the isolate', async () => {
    // A real RolloutCoordinator object (own name per test) keeps the highest verified sequence.
    const ns = (env as unknown as RolloutEnv).ROLLOUT!;
    const stub = ns.get(ns.idFromName(`sequence-guard-${crypto.randomUUID()}`)) as DurableObjectStub<RolloutCoordinator>;
    const guard = (sequence: number) => stub.observeSequence(sequence);
    const isolate = () => new BundleLoader({ kv: env.BUNDLES, publicKey: env.BUNDLE_PUBLIC_KEY!, refreshMs: REFRESH_MS, now: () => clock, onEvent: (e) => events.push(e), sequenceGuard: guard });
    await putBundle(await buildBundle(BASE_POLICIES, '1.0.0'));
    await putBundle(await buildBundle(V2, '1.1.0'));
    await putPointer({ stable: '1.1.0', sequence: 16 });
    expect((await isolate().get())?.stable.version).toBe('1.1.0');

    // The attacker puts back sequence 12 (validly signed, the permissive 1.0.0) and waits for a cold isolate.
    await putPointer({ stable: '1.0.0', sequence: 12 });
    const restarted = isolate();
    expect(await restarted.refresh()).toMatchObject({ status: 'rejected', reason: 'pointer_replay' });
    expect(restarted.active).toBeUndefined();
    // A newer signed pointer is still taken.
    await putPointer({ stable: '1.0.0', sequence: 17, reason: 'rollback' });
    expect(await restarted.refresh()).toEqual({ status: 'updated' });
  });

  it('falls back to its own memory when the sequence guard cannot be reached, and says so', async () => {
    await putBundle(await buildBundle(BASE_POLICIES, '1.0.0'));
    await putPointer({ stable: '1.0.0', sequence: 3 });
    const loader = new BundleLoader({
      kv: env.BUNDLES, publicKey: env.BUNDLE_PUBLIC_KEY!, refreshMs: REFRESH_MS, now: () => clock, onEvent: (e) => events.push(e),
      sequenceGuard: async () => { throw new Error('coordinator unreachable'); },
    });
    expect((await loader.get())?.stable.version).toBe('1.0.0');
    expect(events).toContainEqual(expect.objectContaining({ event: 'sequence_guard_unavailable', sequence: 3 }));
  });

  it('accepts a signed rollback: an older version under a higher sequence', async () => {
    const loader = await loadedAt100();
    await putBundle(await buildBundle(V2, '1.1.0'));
    await putPointer({ stable: '1.1.0', sequence: 6 });
    await loader.refresh();
    await putPointer({ stable: '1.0.0', sequence: 7, reason: 'rollback' });
    expect(await loader.refresh()).toEqual({ status: 'updated' });
    expect(loader.active?.stable.version).toBe('1.0.0');
  });

  it('picks up a bundle that reached KV after its pointer', async () => {
    const loader = await loadedAt100();
    await putPointer({ stable: '1.1.0', sequence: 6 });
    expect(await loader.refresh()).toMatchObject({ reason: 'bundle_missing' });
    await putBundle(await buildBundle(V2, '1.1.0'));
    expect(await loader.refresh()).toEqual({ status: 'updated' });
    expect(loader.active?.stable.version).toBe('1.1.0');
  });

  it('does no verification work when the pointer has not changed', async () => {
    const loader = await loadedAt100();
    expect(await loader.refresh()).toEqual({ status: 'unchanged' });
  });

  it('compiles each version once per isolate', async () => {
    let compiles = 0;
    const { loadBundle } = await import('../../src/engine/index');
    const loader = new BundleLoader({ kv: env.BUNDLES, publicKey: env.BUNDLE_PUBLIC_KEY!, refreshMs: REFRESH_MS, now: () => clock, compile: (b) => (compiles++, loadBundle(b)) });
    await putBundle(await buildBundle(BASE_POLICIES, '1.0.0'));
    await putBundle(await buildBundle(V2, '1.1.0'));
    await putPointer({ stable: '1.0.0', sequence: 1 });
    await loader.refresh();
    await putPointer({ stable: '1.0.0', canary: '1.1.0', canaryPercent: 10, sequence: 2 });
    await loader.refresh();
    await putPointer({ stable: '1.1.0', sequence: 3 });
    await loader.refresh();
    expect(loader.active?.stable.version).toBe('1.1.0');
    expect(compiles).toBe(2);
  });
});

describe('canary in the pointer', () => {
  it('loads the canary next to stable', async () => {
    await putBundle(await buildBundle(BASE_POLICIES, '1.0.0'));
    await putBundle(await buildBundle(BASE_POLICIES, '1.1.0'));
    await putPointer({ stable: '1.0.0', canary: '1.1.0', canaryPercent: 25, sequence: 1 });
    const active = await newLoader().get();
    expect(active?.stable.version).toBe('1.0.0');
    expect(active?.canary?.version).toBe('1.1.0');
  });

  it('serves stable to everyone when the canary fails verification', async () => {
    await putBundle(await buildBundle(BASE_POLICIES, '1.0.0'));
    await putBundle(JSON.stringify(await buildBundle(BASE_POLICIES, '1.1.0', (await generateKeyPair()).privateKey)), '1.1.0');
    await putPointer({ stable: '1.0.0', canary: '1.1.0', canaryPercent: 25, sequence: 1 });
    const active = await newLoader().get();
    expect(active?.stable.version).toBe('1.0.0');
    expect(active?.canary).toBeUndefined();
    expect(events).toContainEqual(expect.objectContaining({ event: 'canary_rejected', reason: 'bundle_signature', version: '1.1.0' }));
  });
});
