// promote end to end inside workerd: src/publish's promote on the real local KV, its gate asking
// this worker's GET /v1/rollout, whose gates come from the real VersionStats counters. Refused
// on insufficient data and on a failing gate; allowed with --force (recorded); 10 -> 50 -> 100
// when the gates pass.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyDocument } from '../../src/bundle/index';
import type { SigningKey } from '../../src/publish/keys';
import { promote } from '../../src/publish/rollout-commands';
import { workerGate } from '../../src/rollout/worker-gate';
import { countDecisions, kvTarget, putHistory, SELF } from './rollout-support';
import { BASE_POLICIES, buildBundle, putBundle, putPointer } from './support/publish';

const key: SigningKey = { privateKey: env.TEST_BUNDLE_PRIVATE_KEY, publicKey: env.BUNDLE_PUBLIC_KEY!, keyId: '', file: '(test)' };
const printed: string[] = [];
const gate = (force = false, reason?: string) =>
  workerGate({ url: 'https://policy.example.com', adminToken: 'test-admin-token', force, reason, print: (l) => printed.push(l), fetch: ((input: RequestInfo | URL, init?: RequestInit) => SELF.fetch(input, init)) as typeof fetch });
const promoteWith = (g: ReturnType<typeof gate>, reason?: string) => promote({ target: kvTarget(), key, actor: 'oncall', reason, gates: [g] });

async function pointer(): Promise<any> {
  return JSON.parse((await env.BUNDLES.get('pointer'))!);
}

async function lastHistoryEntry(): Promise<any> {
  const doc = JSON.parse((await env.BUNDLES.get('history'))!);
  expect((await verifyDocument(doc, key.publicKey)).ok).toBe(true);
  return doc.entries.at(-1);
}

beforeAll(async () => {
  for (const v of ['5.0.0', '5.1.0', '5.2.0']) await putBundle(await buildBundle(BASE_POLICIES, v));
  const at = new Date().toISOString();
  await putPointer({ stable: '5.0.0', canary: '5.1.0', canaryPercent: 10, sequence: 1, updatedAt: at });
  await putHistory([{ sequence: 1, at, actor: 'ci', action: 'canary', from: { stable: '5.0.0', canaryPercent: 0 }, to: { stable: '5.0.0', canary: '5.1.0', canaryPercent: 10 } }]);
  await countDecisions('5.0.0', { decisions: 2000, deny: 200, errors: 10, costUsd: 2 });
});

describe('promote against the worker', () => {
  it('is refused on insufficient data, and the pointer stays', async () => {
    await countDecisions('5.1.0', { decisions: 60, deny: 6, costUsd: 0.06 });
    await expect(promoteWith(gate())).rejects.toThrow(/^promotion stopped by a rollout gate: gates verdict insufficient_data \(decisions\)/);
    expect(printed).toContain('  verdict: insufficient_data');
    expect((await pointer()).sequence).toBe(1);
  });

  it('moves 10 -> 50 once the gates pass, keeping the gate table in the signed history', async () => {
    await countDecisions('5.1.0', { decisions: 60, deny: 6, costUsd: 0.06 });
    const { pointer: moved } = await promoteWith(gate());
    expect(moved).toMatchObject({ canary: '5.1.0', canaryPercent: 50, sequence: 2 });
    expect(await lastHistoryEntry()).toMatchObject({ sequence: 2, action: 'promote', gates: { verdict: 'pass', rows: expect.arrayContaining([expect.objectContaining({ gate: 'decisions', value: 120 })]) } });
  });

  it('is refused when a gate fails at 50%', async () => {
    await countDecisions('5.1.0', { decisions: 100, deny: 60 });
    await expect(promoteWith(gate())).rejects.toThrow(/gates verdict fail \(deny_rate\)/);
    expect((await pointer()).canaryPercent).toBe(50);
  });

  it('goes to 100% with --force --reason, recorded as an override', async () => {
    const { pointer: moved } = await promoteWith(gate(true, 'deny rise is the intended policy change'), 'deny rise is the intended policy change');
    expect(moved).toMatchObject({ stable: '5.1.0', canaryPercent: 0, sequence: 3 });
    expect(await lastHistoryEntry()).toMatchObject({ action: 'promote', forced: true, reason: 'deny rise is the intended policy change', gates: { verdict: 'fail' } });
  });
});
