// publish/promote --gates (issue 6): the per-rollout gate overrides on the signed pointer, through
// the publishing CLI against the in-memory KV. Written by publish --canary, kept while promote
// moves the canary up, dropped at 100%, on rollback and by a publish without --gates.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, verifyPointer } from '../../src/bundle/index';
import { runPublishCli } from '../../src/publish/cli';
import { POINTER_KEY } from '../../src/publish/kv-target';
import { MemoryKvTarget } from '../../src/publish/memory-kv-target';
import { formatStatus, status } from '../../src/publish/status';

let root: string;
let policies: string;
let keyFile: string;
let publicKey: string;
let kv: MemoryKvTarget;
let out: string[];
let err: string[];

const GATES = { maxErrorRate: 0.01, minDecisions: 500 };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'publish-gates-'));
  policies = join(root, 'policies');
  await mkdir(policies);
  await writeFile(join(policies, 'allow.yaml'), 'metadata:\n  id: allow-all\nrules:\n  - id: everything\n    condition: true\n    action: { decision: allow }\n');
  const pair = await generateKeyPair();
  publicKey = pair.publicKey;
  keyFile = join(root, 'private.key');
  await writeFile(keyFile, `${pair.privateKey}\n`);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  kv = new MemoryKvTarget();
  out = [];
  err = [];
});

// promote asks the worker for its gate table; there is none here, so promotions go through
// --force --reason (the worker being unreachable is then a recorded override).
const unreachable = (async () => {
  throw new Error('connect ECONNREFUSED');
}) as unknown as typeof fetch;

const cli = (...argv: string[]) => runPublishCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), target: () => kv, fetch: unreachable });
const publishStable = (version: string) => cli(policies, '--version', version, '--key', keyFile);
const publishCanary = (version: string, ...extra: string[]) => cli(policies, '--version', version, '--canary', '10', '--key', keyFile, ...extra);
const promote = (...extra: string[]) => cli('promote', '--force', '--reason', 'test', '--url', 'http://127.0.0.1:1', '--key', keyFile, ...extra);

async function pointer(): Promise<any> {
  const doc = JSON.parse((await kv.get(POINTER_KEY))!);
  const verified = await verifyPointer(doc, publicKey);
  expect(verified.ok).toBe(true);
  return doc;
}

async function expectOneLineError(run: () => Promise<number>, message: string | RegExp): Promise<void> {
  const before = (await kv.get(POINTER_KEY)) ?? null;
  err.length = 0;
  expect(await run()).toBe(1);
  expect(err).toHaveLength(1);
  expect(err[0]).toMatch(message);
  expect(err[0]).not.toContain('\n');
  expect((await kv.get(POINTER_KEY)) ?? null).toBe(before);
  err.length = 0;
}

describe('publish --gates', () => {
  it('signs the gates into the canary pointer', async () => {
    expect(await publishStable('1.0.0')).toBe(0);
    expect(await publishCanary('1.1.0', '--gates', JSON.stringify(GATES))).toBe(0);
    const p = await pointer();
    expect(p).toMatchObject({ stable: '1.0.0', canary: '1.1.0', canaryPercent: 10, gates: GATES });
    // The signature covers them: changing one breaks verification.
    const tampered = { ...p, gates: { ...p.gates, maxErrorRate: 0.9 } };
    expect((await verifyPointer(tampered, publicKey)).ok).toBe(false);
  });

  it('reads @file.json', async () => {
    const file = join(root, 'gates.json');
    await writeFile(file, JSON.stringify({ denyMargin: 0.1, denyFloor: 0.01, costMargin: 0.05 }));
    await publishStable('1.0.0');
    expect(await publishCanary('1.1.0', '--gates', `@${file}`)).toBe(0);
    expect((await pointer()).gates).toEqual({ denyMargin: 0.1, denyFloor: 0.01, costMargin: 0.05 });
  });

  it('a publish without --gates has none, also when it replaces a canary that had them', async () => {
    await publishStable('1.0.0');
    await publishCanary('1.1.0', '--gates', JSON.stringify(GATES));
    expect(await publishCanary('1.2.0', '--replace-canary')).toBe(0);
    const p = await pointer();
    expect(p).toMatchObject({ canary: '1.2.0', canaryPercent: 10 });
    expect(p.gates).toBeUndefined();
  });

  it('status shows the pointer gates', async () => {
    await publishStable('1.0.0');
    await publishCanary('1.1.0', '--gates', JSON.stringify(GATES));
    const text = formatStatus(await status({ target: kv, publicKey }));
    expect(text).toContain("pointer gates: maxErrorRate=0.01, minDecisions=500 (the rest from the worker's GATE_* vars)");
    await publishCanary('1.2.0', '--replace-canary');
    expect(formatStatus(await status({ target: kv, publicKey }))).not.toContain('pointer gates');
  });
});

describe('promote and rollback', () => {
  it('keeps the gates 10 → 50 and drops them at 100', async () => {
    await publishStable('1.0.0');
    await publishCanary('1.1.0', '--gates', JSON.stringify(GATES));
    expect(await promote()).toBe(0);
    let p = await pointer();
    expect(p).toMatchObject({ canary: '1.1.0', canaryPercent: 50, gates: GATES, sequence: 3 });
    expect(await promote()).toBe(0);
    p = await pointer();
    expect(p).toMatchObject({ stable: '1.1.0', canaryPercent: 0, sequence: 4 });
    expect(p.canary).toBeUndefined();
    expect(p.gates).toBeUndefined();
  });

  it('promote --gates replaces them', async () => {
    await publishStable('1.0.0');
    await publishCanary('1.1.0', '--gates', JSON.stringify(GATES));
    expect(await promote('--gates', '{"minDecisions":2000}')).toBe(0);
    expect((await pointer()).gates).toEqual({ minDecisions: 2000 });
  });

  it('promote --gates to 100% is refused: the stable carries no gates', async () => {
    await publishStable('1.0.0');
    await publishCanary('1.1.0', '--gates', JSON.stringify(GATES));
    await expectOneLineError(() => promote('--to', '100', '--gates', '{"minDecisions":2000}'), /^error: --gates has no effect here: promoting to 100% makes 1\.1\.0 the stable/);
  });

  it('rollback drops them with the canary', async () => {
    await publishStable('1.0.0');
    await publishCanary('1.1.0', '--gates', JSON.stringify(GATES));
    await promote();
    expect(await cli('rollback', '--reason', 'bad canary', '--key', keyFile)).toBe(0);
    const p = await pointer();
    expect(p).toMatchObject({ stable: '1.0.0', canaryPercent: 0 });
    expect(p.gates).toBeUndefined();
  });
});

describe('--gates errors: exit 1, one line, pointer untouched', () => {
  beforeEach(async () => {
    await publishStable('1.0.0');
    out.length = 0;
  });

  it('bad JSON', async () => {
    await expectOneLineError(() => publishCanary('1.1.0', '--gates', '{maxErrorRate: 0.01}'), /^error: --gates is not JSON: /);
  });

  it('not an object', async () => {
    await expectOneLineError(() => publishCanary('1.1.0', '--gates', '[0.01]'), /^error: --gates must be a JSON object/);
  });

  it('unknown key', async () => {
    await expectOneLineError(() => publishCanary('1.1.0', '--gates', '{"maxErrorRat":0.01}'), 'error: gates: unknown field "maxErrorRat"');
  });

  it('out-of-range value', async () => {
    await expectOneLineError(() => publishCanary('1.1.0', '--gates', '{"maxErrorRate":1.5}'), /^error: gates\.maxErrorRate: .*<=1$/);
    await expectOneLineError(() => publishCanary('1.1.0', '--gates', '{"minDecisions":0}'), /^error: gates\.minDecisions: /);
    await expectOneLineError(() => promote('--gates', '{"denyMargin":-1}'), /^error: gates\.denyMargin: /);
  });

  it('a missing @file', async () => {
    await expectOneLineError(() => publishCanary('1.1.0', '--gates', `@${join(root, 'nope.json')}`), /^error: --gates .*nope\.json: cannot read the file \(ENOENT\)$/);
  });

  it('--gates without --canary', async () => {
    await expectOneLineError(() => cli(policies, '--version', '1.1.0', '--key', keyFile, '--gates', '{"minDecisions":500}'), /^error: --gates needs --canary/);
  });

  it('nothing is uploaded on a bad --gates', async () => {
    await publishCanary('1.1.0', '--gates', '{"nope":1}');
    expect(await kv.get('bundle:1.1.0')).toBeNull();
  });
});
