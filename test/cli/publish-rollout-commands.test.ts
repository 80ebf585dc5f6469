// promote, rollback and status against the in-memory KV, on bundles published for real.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, verifyDocument, verifyPointer } from '../../src/bundle/index';
import { HISTORY_KEY, POINTER_KEY } from '../../src/publish/kv-target';
import type { SigningKey } from '../../src/publish/keys';
import { MemoryKvTarget } from '../../src/publish/memory-kv-target';
import { publish } from '../../src/publish/pipeline';
import { promote, rollback, type PromotionGate } from '../../src/publish/rollout-commands';
import { formatStatus, status } from '../../src/publish/status';

let dir: string;
let key: SigningKey;
let kv: MemoryKvTarget;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'publish-rollout-'));
  await writeFile(join(dir, 'allow.yaml'), 'metadata:\n  id: allow-all\nrules:\n  - id: everything\n    condition: true\n    action: { decision: allow }\n');
  key = { ...(await generateKeyPair()), file: '(test)' };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  kv = new MemoryKvTarget();
});

const publishVersion = (version: string, canary?: number) => publish({ dir, target: kv, key, version, canary, actor: 'ci' });
const common = () => ({ target: kv, key, actor: 'oncall' });

async function pointer(): Promise<any> {
  const doc = JSON.parse((await kv.get(POINTER_KEY))!);
  expect((await verifyPointer(doc, key.publicKey)).ok).toBe(true);
  return doc;
}

describe('promote', () => {
  it('moves a canary 10 → 50 → 100, then it is the stable and the canary clears', async () => {
    await publishVersion('1.0.0');
    await publishVersion('1.1.0', 10);
    await promote(common());
    expect(await pointer()).toMatchObject({ stable: '1.0.0', canary: '1.1.0', canaryPercent: 50, sequence: 3, actor: 'oncall' });
    await promote(common());
    const p = await pointer();
    expect(p).toMatchObject({ stable: '1.1.0', canaryPercent: 0, sequence: 4 });
    expect(p.canary).toBeUndefined();
  });

  it('--to jumps to a percent', async () => {
    await publishVersion('1.0.0');
    await publishVersion('1.1.0', 10);
    await promote({ ...common(), to: 100 });
    expect(await pointer()).toMatchObject({ stable: '1.1.0', canaryPercent: 0 });
  });

  it('refuses without a canary and leaves the pointer alone', async () => {
    await publishVersion('1.0.0');
    await expect(promote(common())).rejects.toThrow('there is no canary to promote');
    expect((await pointer()).sequence).toBe(1);
  });

  it('asks every gate first, and a gate can stop it', async () => {
    await publishVersion('1.0.0');
    await publishVersion('1.1.0', 10);
    const seen: unknown[] = [];
    const watch: PromotionGate = async (change) => (seen.push({ from: change.from.canaryPercent, to: change.to.canaryPercent }), { ok: true });
    const block: PromotionGate = async () => ({ ok: false, reason: 'canary error rate 4% > 1%' });
    await expect(promote({ ...common(), gates: [watch, block] })).rejects.toThrow('promotion stopped by a rollout gate: canary error rate 4% > 1%');
    expect(seen).toEqual([{ from: 10, to: 50 }]);
    expect((await pointer()).canaryPercent).toBe(10);
  });

  it('refuses to point traffic at a bundle that does not verify', async () => {
    await publishVersion('1.0.0');
    await publishVersion('1.1.0', 10);
    const bundle = JSON.parse((await kv.get('bundle:1.1.0'))!);
    bundle.defaultDecision = 'deny';
    await kv.put('bundle:1.1.0', JSON.stringify(bundle));
    await expect(promote(common())).rejects.toThrow(/bundle:1.1.0 does not verify: .*refusing to point traffic at it/);
  });
});

describe('rollback', () => {
  it('drops the canary if there is one', async () => {
    await publishVersion('1.0.0');
    await publishVersion('1.1.0', 10);
    await rollback({ ...common(), reason: 'canary 5xx' });
    const p = await pointer();
    expect(p).toMatchObject({ stable: '1.0.0', canaryPercent: 0, sequence: 3, reason: 'canary 5xx' });
    expect(p.canary).toBeUndefined();
  });

  it('else returns the stable to the previous stable, then the one before', async () => {
    await publishVersion('1.0.0');
    await publishVersion('1.1.0');
    await publishVersion('1.2.0');
    await rollback({ ...common(), reason: 'bad rules' });
    expect(await pointer()).toMatchObject({ stable: '1.1.0', sequence: 4 });
    await rollback({ ...common(), reason: 'still bad' });
    expect(await pointer()).toMatchObject({ stable: '1.0.0', sequence: 5 });
    await expect(rollback({ ...common(), reason: 'again' })).rejects.toThrow('there is no stable version before 1.0.0 to roll back to');
  });

  it('after a rollback, a default publish moves past the rolled-back version', async () => {
    await publishVersion('1.0.0');
    await publishVersion('1.1.0');
    await rollback({ ...common(), reason: 'bad' });
    const next = await publish({ dir, target: kv, key, actor: 'ci' });
    expect(next.version).toBe('1.1.1');
  });

  it('needs a reason', async () => {
    await publishVersion('1.0.0');
    await expect(rollback({ ...common(), reason: ' ' })).rejects.toThrow('rollback needs --reason "why"');
  });

  it('records each change in the signed history', async () => {
    await publishVersion('1.0.0');
    await publishVersion('1.1.0', 10);
    await promote(common());
    await rollback({ ...common(), reason: 'latency' });
    const doc = JSON.parse((await kv.get(HISTORY_KEY))!);
    expect((await verifyDocument(doc, key.publicKey)).ok).toBe(true);
    expect(doc.entries.map((e: any) => [e.sequence, e.action, e.actor, e.from?.canaryPercent ?? null, e.to])).toEqual([
      [1, 'publish', 'ci', null, { stable: '1.0.0', canaryPercent: 0 }],
      [2, 'canary', 'ci', 0, { stable: '1.0.0', canary: '1.1.0', canaryPercent: 10 }],
      [3, 'promote', 'oncall', 10, { stable: '1.0.0', canary: '1.1.0', canaryPercent: 50 }],
      [4, 'rollback', 'oncall', 50, { stable: '1.0.0', canaryPercent: 0 }],
    ]);
    expect(doc.entries[3].reason).toBe('latency');
  });
});

describe('status', () => {
  it('shows the pointer, its signature, the versions and recent history', async () => {
    await publishVersion('1.0.0');
    await publishVersion('1.1.0', 10);
    const s = await status({ target: kv, publicKey: key.publicKey });
    expect(s.pointer).toMatchObject({ stable: '1.0.0', canary: '1.1.0', canaryPercent: 10, sequence: 2 });
    expect(s.signature).toMatch(/^verified \(key [0-9a-f]{16}\)$/);
    expect(s.versions).toEqual(['1.1.0', '1.0.0']);
    expect(s.history.map((e) => e.sequence)).toEqual([2, 1]);
    const text = formatStatus(s);
    expect(text).toContain('stable:   1.0.0');
    expect(text).toContain('canary:   1.1.0 at 10%');
    expect(text).toContain('#2 ');
  });

  it('says when the pointer does not verify, and when nothing is published', async () => {
    expect(formatStatus(await status({ target: kv, publicKey: key.publicKey }))).toContain('pointer:  none');
    await publishVersion('1.0.0');
    const other = await generateKeyPair();
    expect((await status({ target: kv, publicKey: other.publicKey })).signature).toMatch(/^NOT VERIFIED: /);
    expect((await status({ target: kv })).signature).toBe('not checked (no public key)');
  });
});
