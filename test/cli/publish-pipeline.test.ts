// publish() end to end against the in-memory KV: real loader, compiler and signatures.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, parseBundle, verifyBundle, verifyDocument, verifyPointer } from '../../src/bundle/index';
import { HISTORY_KEY, POINTER_KEY } from '../../src/publish/kv-target';
import type { SigningKey } from '../../src/publish/keys';
import { MemoryKvTarget } from '../../src/publish/memory-kv-target';
import { publish, type PublishOptions } from '../../src/publish/pipeline';

const POLICY = `metadata:
  id: block-gpt4
rules:
  - id: deny-gpt4
    condition: { operator: eq, field: llm.model, value: gpt-4 }
    action: { decision: deny, reason: "gpt-4 is not allowed" }
`;

let dir: string;
let key: SigningKey;
let kv: MemoryKvTarget;
let clock: number;
const lines: string[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'publish-pipeline-'));
  await writeFile(join(dir, 'policy.yaml'), POLICY);
  const pair = await generateKeyPair();
  key = { ...pair, file: '(test)' };
  kv = new MemoryKvTarget();
  clock = Date.parse('2026-11-22T10:00:00Z');
  lines.length = 0;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(extra: Partial<PublishOptions> = {}) {
  return publish({ dir, target: kv, key, actor: 'tester', log: (l) => lines.push(l), now: () => new Date((clock += 1000)), ...extra });
}

// Stand-ins for the checks, for the tests about how publish reacts to what they report.
const passingChecks: PublishOptions['steps'] = { lint: () => [], runPolicyTests: async () => ({ passed: 0, failed: 0, results: [] }) };

async function stored(k: string): Promise<any> {
  return JSON.parse((await kv.get(k))!);
}

describe('publish', () => {
  it('uploads a signed bundle and a signed pointer at sequence 1 on an empty KV', async () => {
    const result = await run({ reason: 'first' });
    expect(result.version).toBe('0.1.0');

    const bundle = parseBundle(await stored('bundle:0.1.0'));
    expect(await verifyBundle(bundle, key.publicKey)).toBe(true);
    expect(bundle.policies.map((p) => p.metadata.id)).toEqual(['block-gpt4']);

    const pointer = await stored(POINTER_KEY);
    expect((await verifyPointer(pointer, key.publicKey)).ok).toBe(true);
    expect(pointer).toMatchObject({ stable: '0.1.0', canaryPercent: 0, sequence: 1, actor: 'tester', reason: 'first', updatedAt: '2026-11-22T10:00:01.000Z' });
    expect(pointer.canary).toBeUndefined();
    // The bundle goes up before the pointer names it.
    expect(kv.writes).toEqual(['bundle:0.1.0', POINTER_KEY, HISTORY_KEY]);
  });

  it('defaults each next version to patch + 1 and increments the sequence', async () => {
    await run();
    const second = await run();
    const third = await run();
    expect([second.version, third.version]).toEqual(['0.1.1', '0.1.2']);
    const pointer = await stored(POINTER_KEY);
    expect(pointer).toMatchObject({ stable: '0.1.2', sequence: 3 });
    expect((await verifyPointer(pointer, key.publicKey)).ok).toBe(true);
  });

  it('refuses a version that is not greater than the current stable, changing nothing', async () => {
    await run({ version: '1.3.0' });
    const before = new Map(kv.values);
    await expect(run({ version: '1.2.0' })).rejects.toThrow('version 1.2.0 is not greater than the current stable 1.3.0');
    expect(kv.values).toEqual(before);
  });

  it('never points backwards when another publish moved the pointer meanwhile', async () => {
    await run({ version: '0.1.0' });
    // Another publisher finishes 0.2.0 while this one is uploading 0.1.1.
    const put = kv.put.bind(kv);
    kv.put = async (k, v) => {
      if (k === 'bundle:0.1.1') {
        kv.put = put;
        await run({ version: '0.2.0' });
      }
      return put(k, v);
    };
    await expect(run({ version: '0.1.1' })).rejects.toThrow('the pointer moved to 0.2.0 while 0.1.1 was being published; 0.1.1 is uploaded but not pointed at');
    expect(await stored(POINTER_KEY)).toMatchObject({ stable: '0.2.0', sequence: 2 });
  });

  it('keeps a signed history of pointer changes', async () => {
    await run({ version: '1.0.0' });
    await run({ version: '1.1.0', reason: 'faster rules' });
    const doc = await stored(HISTORY_KEY);
    expect((await verifyDocument(doc, key.publicKey)).ok).toBe(true);
    expect(doc.entries).toEqual([
      { sequence: 1, at: '2026-11-22T10:00:01.000Z', actor: 'tester', action: 'publish', from: null, to: { stable: '1.0.0', canaryPercent: 0 } },
      { sequence: 2, at: '2026-11-22T10:00:02.000Z', actor: 'tester', action: 'publish', from: { stable: '1.0.0', canaryPercent: 0 }, to: { stable: '1.1.0', canaryPercent: 0 }, reason: 'faster rules' },
    ]);
  });

  it('publishes a canary beside the stable', async () => {
    await run({ version: '1.0.0' });
    const result = await run({ canary: 10 });
    expect(result).toMatchObject({ version: '1.0.1', canaryPercent: 10 });
    expect(await stored(POINTER_KEY)).toMatchObject({ stable: '1.0.0', canary: '1.0.1', canaryPercent: 10, sequence: 2 });
  });

  it('refuses to publish over a running canary before uploading, unless replaceCanary, which names it', async () => {
    await run({ version: '1.0.0' });
    await run({ version: '1.1.0', canary: 10 });
    const before = new Map(kv.values);
    await expect(run({ version: '1.2.0' })).rejects.toThrow('a canary of 1.1.0 is running at 10%: promote or roll back first, or pass --replace-canary');
    expect(kv.values).toEqual(before);
    const result = await run({ version: '1.2.0', replaceCanary: true });
    expect(result.replacedCanary).toBe('1.1.0');
    expect(await stored(POINTER_KEY)).toMatchObject({ stable: '1.2.0', canaryPercent: 0 });
  });

  it('refuses a canary on an empty KV before uploading anything', async () => {
    await expect(run({ canary: 10 })).rejects.toThrow(/no stable version yet/);
    expect(kv.values.size).toBe(0);
  });

  it('refuses a canary percent outside 1–99', async () => {
    await expect(run({ canary: 100 })).rejects.toThrow('--canary must be a whole percent from 1 to 99, got 100');
  });

  it('refuses to move a pointer signed by another key, before uploading', async () => {
    await run();
    const other = await generateKeyPair();
    const before = new Map(kv.values);
    await expect(run({ key: { ...other, file: '(other)' } })).rejects.toThrow(/the pointer in in-memory KV does not verify with key .*refusing to move it/);
    expect(kv.values).toEqual(before);
  });

  it('refuses a tampered pointer', async () => {
    await run();
    const pointer = await stored(POINTER_KEY);
    await kv.put(POINTER_KEY, JSON.stringify({ ...pointer, stable: '9.9.9' }));
    await expect(run()).rejects.toThrow(/does not verify.*refusing to move it/);
  });

  it('replaces an unverified pointer only when told to, keeping its sequence', async () => {
    await run();
    await run();
    const other = await generateKeyPair();
    const result = await run({ key: { ...other, file: '(other)' }, onUnverified: 'replace' });
    expect(lines.some((l) => l.startsWith('WARNING: the pointer in in-memory KV does not verify'))).toBe(true);
    expect(result.pointer.sequence).toBe(3);
    expect((await verifyPointer(await stored(POINTER_KEY), other.publicKey)).ok).toBe(true);
  });

  it('refuses an empty policy folder', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'publish-empty-'));
    try {
      await expect(run({ dir: empty })).rejects.toThrow(/holds no policies/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('stops on a policy that does not parse, naming the file', async () => {
    await writeFile(join(dir, 'broken.yaml'), 'metadata:\n  id: broken\nrules: []\nunknownKey: 1\n');
    await expect(run()).rejects.toMatchObject({ code: 'schema_error', file: join(dir, 'broken.yaml') });
    expect(kv.values.size).toBe(0);
  });
});

describe('publish checks', () => {
  it('stops on a real lint error (a deny rule with no reason), printing it, before touching KV', async () => {
    await writeFile(join(dir, 'no-reason.yaml'), 'metadata:\n  id: no-reason\nrules:\n  - id: deny-o1\n    condition: { operator: eq, field: llm.model, value: o1 }\n    action: { decision: deny }\n');
    await expect(run()).rejects.toThrow('lint found 1 error; not publishing');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no-reason\.yaml:6:\d+: error missing-reason \[no-reason\/deny-o1\]: deny rule has no reason/);
    expect(kv.values.size).toBe(0);
  });

  it('runs the folder\'s policy tests and publishes when they pass', async () => {
    await writeFile(join(dir, 'policy.test.yaml'), 'tests:\n  - name: gpt-4 is denied\n    context: { llm: { model: gpt-4 } }\n    expect: { decision: deny, matchedRules: [deny-gpt4] }\n');
    const result = await run();
    expect(result.tests).toEqual({ passed: 1, failed: 0 });
  });

  it('stops when a policy test in the folder fails, naming the test, before touching KV', async () => {
    await writeFile(join(dir, 'policy.test.yaml'), 'tests:\n  - name: gpt-4 is allowed\n    context: { llm: { model: gpt-4 } }\n    expect: { decision: allow }\n');
    await expect(run()).rejects.toThrow('1 policy test failed (0 passed); not publishing');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/policy\.test\.yaml(:\d+)?: test "gpt-4 is allowed" failed: /);
    expect(kv.values.size).toBe(0);
  });

  it('prints every error and warning the linter reports, and stops on the errors', async () => {
    const lint = () => [
      { severity: 'warning' as const, code: 'shadowed-rule', message: 'never matches', file: 'policy.yaml', line: 4 },
      { severity: 'error' as const, code: 'missing-reason', message: 'deny rule has no reason', suggestion: 'add action.reason', policyId: 'block-gpt4', ruleId: 'deny-gpt4', file: 'policy.yaml', line: 3 },
    ];
    await expect(run({ steps: { ...passingChecks, lint } })).rejects.toThrow('lint found 1 error; not publishing');
    expect(lines).toEqual([
      'policy.yaml:4: warning shadowed-rule: never matches',
      'policy.yaml:3: error missing-reason [block-gpt4/deny-gpt4]: deny rule has no reason (add action.reason)',
    ]);
    expect(kv.values.size).toBe(0);
  });

  it('publishes with warnings, printing them', async () => {
    const lint = () => [{ severity: 'warning' as const, code: 'w', message: 'careful' }];
    const result = await run({ steps: { ...passingChecks, lint } });
    expect(result.warnings).toBe(1);
    expect(lines[0]).toBe('warning w: careful');
  });

  it('stops when a policy test fails, printing the failure', async () => {
    await writeFile(join(dir, 'policy.test.yaml'), 'tests: []\n');
    const runPolicyTests = async () => ({ passed: 2, failed: 1, results: [{ file: 'policy.test.yaml', name: 'gpt-4 is denied', ok: false, message: 'expected deny, got allow' }] });
    await expect(run({ steps: { ...passingChecks, runPolicyTests } })).rejects.toThrow('1 policy test failed (2 passed); not publishing');
    expect(lines).toEqual(['policy.test.yaml: test "gpt-4 is denied" failed: expected deny, got allow']);
    expect(kv.values.size).toBe(0);
  });

  it('runs the policy tests only when the folder has test files', async () => {
    let ran = 0;
    const runPolicyTests = async () => (ran++, { passed: 1, failed: 0, results: [] });
    await run({ steps: { ...passingChecks, runPolicyTests } });
    expect(ran).toBe(0);
    await writeFile(join(dir, 'policy.test.yaml'), 'tests: []\n');
    const result = await run({ steps: { ...passingChecks, runPolicyTests } });
    expect(ran).toBe(1);
    expect(result.tests).toEqual({ passed: 1, failed: 0 });
  });
});
