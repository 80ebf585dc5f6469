// promote, rollback and status through the publishing CLI (src/publish/cli.ts) with the gates
// read over HTTP: here the worker's answers are fixed RolloutView documents (the real worker
// serves them in test/worker/rollout-promote.test.ts). The history keeps the gate table, the
// override and the automatic stop, and stays signed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, verifyDocument } from '../../src/bundle/index';
import { runPublishCli } from '../../src/publish/cli';
import { HISTORY_KEY, POINTER_KEY } from '../../src/publish/kv-target';
import { MemoryKvTarget } from '../../src/publish/memory-kv-target';
import { promotionGates } from '../../src/rollout/gates';
import { KILL_SWITCH_KEY, KILL_SWITCH_LOG_KEY, newKillSwitch } from '../../src/rollout/kill-switch';
import { DEFAULT_THRESHOLDS } from '../../src/rollout/thresholds';
import type { RolloutView } from '../../src/rollout/view';
import { counts } from './counts';
import { STABLE, viewWith } from './views';

let root: string;
let keyFile: string;
let publicKey: string;
let kv: MemoryKvTarget;
let out: string[];
let err: string[];
let answer: () => Response | Promise<Response>;
const requests: { url: string; auth: string | null }[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rollout-cli-'));
  await writeFile(join(root, 'allow.yaml'), 'metadata:\n  id: allow-all\nrules:\n  - id: everything\n    condition: true\n    action: { decision: allow }\n');
  const pair = await generateKeyPair();
  publicKey = pair.publicKey;
  keyFile = join(root, 'private.key');
  await writeFile(keyFile, `${pair.privateKey}\n`);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  kv = new MemoryKvTarget();
  out = [];
  err = [];
  requests.length = 0;
  await cli(root, '--version', '1.0.0');
  await cli(root, '--version', '1.1.0', '--canary', '10');
  out.length = 0;
});

const fetchStub = (async (input: RequestInfo | URL, init?: RequestInit) => {
  requests.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
  return answer();
}) as typeof fetch;

function cli(...argv: string[]): Promise<number> {
  return runPublishCli([...argv, '--key', keyFile], { out: (l) => out.push(l), err: (l) => err.push(l), target: () => kv, fetch: fetchStub });
}

const serve = (view: RolloutView) => () => Response.json(view);
const pointer = async () => JSON.parse((await kv.get(POINTER_KEY))!);
async function history(): Promise<any[]> {
  const doc = JSON.parse((await kv.get(HISTORY_KEY))!);
  expect((await verifyDocument(doc, publicKey)).ok).toBe(true);
  return doc.entries;
}

const insufficient = () => viewWith({ sequence: 2, gates: promotionGates(counts(30), STABLE, DEFAULT_THRESHOLDS) });

describe('promote with gates', () => {
  it('moves 10 -> 50 when the gates pass, printing the table, and keeps it in the history', async () => {
    answer = serve(viewWith());
    expect(await cli('promote')).toBe(0);
    expect(requests).toEqual([{ url: 'http://127.0.0.1:8787/v1/rollout', auth: 'Bearer dev-admin-token' }]);
    expect(out[0]).toBe('gates for canary 1.1.0 (http://127.0.0.1:8787):');
    expect(out.join('\n')).toMatch(/error_rate\s+0\.00%\s+< 5\.00%\s+pass/);
    expect(out.join('\n')).toMatch(/deny_rate\s+10\.00%\s+<= 13\.00%\s+10\.00%\s+pass/);
    expect(out.at(-2)).toBe('  verdict: pass');
    expect(out.at(-1)).toBe('canary 1.1.0 now at 50% (stable 1.0.0), sequence 3');
    const entry = (await history()).at(-1);
    expect(entry).toMatchObject({ sequence: 3, action: 'promote', to: { canaryPercent: 50 }, gates: { verdict: 'pass' } });
    expect(entry.forced).toBeUndefined();
  });

  it('refuses on insufficient data, leaving the pointer where it was', async () => {
    answer = serve(insufficient());
    expect(await cli('promote')).toBe(1);
    expect(out).toContain('  verdict: insufficient_data');
    expect(err.at(-1)).toMatch(/^error: promotion stopped by a rollout gate: gates verdict insufficient_data \(decisions\)/);
    expect((await pointer()).sequence).toBe(2);
  });

  it('goes ahead with --force --reason, recording the override and the gates it overrode', async () => {
    answer = serve(insufficient());
    expect(await cli('promote', '--force', '--reason', 'quiet weekend, fix must ship', '--actor', 'oncall')).toBe(0);
    expect(out).toContain('WARNING: gates overridden with --force (quiet weekend, fix must ship)');
    expect(await pointer()).toMatchObject({ canaryPercent: 50, reason: 'quiet weekend, fix must ship', actor: 'oncall' });
    expect((await history()).at(-1)).toMatchObject({ action: 'promote', forced: true, reason: 'quiet weekend, fix must ship', gates: { verdict: 'insufficient_data' } });
  });

  it('refuses when the worker cannot be reached, unless forced', async () => {
    answer = () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    };
    expect(await cli('promote', '--url', 'http://127.0.0.1:8799')).toBe(1);
    expect(err.at(-1)).toBe('error: promotion stopped by a rollout gate: cannot read the rollout gates from http://127.0.0.1:8799: fetch failed (ECONNREFUSED); is the worker running there? For another port or host pass --url URL or set LLM_POLICY_URL (or override with --force --reason "why")');
    expect(await cli('promote', '--url', 'http://127.0.0.1:8799', '--force', '--reason', 'worker down, promoting blind')).toBe(0);
    expect((await history()).at(-1)).toMatchObject({ forced: true });
    expect((await history()).at(-1).gates).toBeUndefined();
  });

  it('sends --admin-token, and needs one for a non-local URL', async () => {
    answer = serve(viewWith());
    expect(await cli('promote', '--url', 'https://policy.example.com', '--admin-token', 's3cret')).toBe(0);
    expect(requests.at(-1)).toEqual({ url: 'https://policy.example.com/v1/rollout', auth: 'Bearer s3cret' });
    await cli(root, '--version', '1.2.0', '--canary', '10', '--replace-canary');
    const saved = process.env.LLM_POLICY_ADMIN_TOKEN;
    delete process.env.LLM_POLICY_ADMIN_TOKEN;
    try {
      expect(await cli('promote', '--url', 'https://policy.example.com')).toBe(1);
    } finally {
      if (saved !== undefined) process.env.LLM_POLICY_ADMIN_TOKEN = saved;
    }
    expect(err.at(-1)).toMatch(/no admin token \(pass --admin-token or set LLM_POLICY_ADMIN_TOKEN\)/);
  });
});

describe('rollback and status after an automatic stop', () => {
  beforeEach(async () => {
    const stop = newKillSwitch({ canary: '1.1.0', sequence: 2, stoppedAt: '2026-11-20T10:05:00.000Z', reason: 'critical gate breach: error_rate 0.250 > 0.100', gates: [] });
    await kv.put(KILL_SWITCH_KEY, JSON.stringify(stop));
    await kv.put(KILL_SWITCH_LOG_KEY, JSON.stringify([{ action: 'auto-stop', actor: stop.actor, at: stop.stoppedAt, canary: stop.canary, sequence: 2, reason: stop.reason, gates: [] }]));
  });

  it('status shows the active kill switch, the gates and the stop in the history', async () => {
    answer = serve(viewWith({ sequence: 2 }));
    expect(await cli('status')).toBe(0);
    const text = out.at(-1)!;
    expect(text).toContain('kill switch: ACTIVE: canary 1.1.0 stopped at 2026-11-20T10:05:00.000Z (critical gate breach: error_rate 0.250 > 0.100)');
    expect(text).toMatch(/gates:    canary 1\.1\.0 since 2026-11-20T10:00:00\.000Z \(from http:\/\/127\.0\.0\.1:8787\)/);
    expect(text).toContain('  verdict: pass');
    expect(text).toContain('2026-11-20T10:05:00.000Z rollout-coordinator auto-stop: canary 1.1.0 at sequence 2 sent to 0%');
  });

  it('status says when the gates cannot be read', async () => {
    answer = () => new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'missing or unknown API key' } }), { status: 401 });
    expect(await cli('status')).toBe(0);
    expect(out.at(-1)).toContain('gates:    not available (http://127.0.0.1:8787: HTTP 401 unauthorized: missing or unknown API key)');
  });

  it('rollback records the automatic stop it follows', async () => {
    expect(await cli('rollback', '--reason', 'canary stopped by the coordinator')).toBe(0);
    expect((await history()).at(-1)).toMatchObject({
      action: 'rollback',
      to: { stable: '1.0.0', canaryPercent: 0 },
      autoStop: { action: 'auto-stop', canary: '1.1.0', sequence: 2, at: '2026-11-20T10:05:00.000Z' },
    });
    // The next pointer move supersedes the stop: status no longer calls it active.
    answer = serve(viewWith({ canary: null, gates: null }));
    await cli('status');
    expect(out.at(-1)).toContain('kill switch: ignored (superseded: it stopped 1.1.0 at pointer sequence 2, and the pointer has moved on to 3)');
    expect(out.at(-1)).toMatch(/rollback: 1\.0\.0 \+ canary 1\.1\.0 10% -> 1\.0\.0 \(canary stopped by the coordinator\) \[after the automatic stop at 2026-11-20T10:05:00\.000Z\]/);
  });
});

describe('status and shadow rules', () => {
  it('shows each shadow rule of the served versions with its hits, rate and who it would have hit', async () => {
    const rule = {
      rule: 'trial/free-no-gpt-4o', decision: 'deny', hits: 120, rate: 0.12, lastSeen: '2026-11-20T11:00:00.000Z',
      teams: [{ id: 'team-a', hits: 100 }, { id: 'team-b', hits: 20 }], users: [{ id: 'u1', hits: 90 }], otherTeamHits: 0, otherUserHits: 30,
    };
    answer = serve(viewWith({ shadow: [{ version: '1.1.0', decisions: 1000, since: '2026-11-20T10:00:00.000Z', rules: [rule] }, { version: '1.0.0', decisions: 50, since: null, rules: [] }] }));
    expect(await cli('status')).toBe(0);
    expect(out.at(-1)).toContain([
      'shadow rules (would have fired, never decided; from http://127.0.0.1:8787):',
      '  1.1.0: 1000 decisions since 2026-11-20T10:00:00.000Z',
      '    trial/free-no-gpt-4o → deny: 120 hits (12.0%), last 2026-11-20T11:00:00.000Z',
      '      teams: team-a (100), team-b (20); users: u1 (90), others (30)',
      '  1.0.0: 50 decisions',
      '    no shadow rule has matched yet',
    ].join('\n'));
  });

  it('says nothing of shadow rules when no served version has any', async () => {
    answer = serve(viewWith({ shadow: [] }));
    expect(await cli('status')).toBe(0);
    expect(out.at(-1)).not.toContain('shadow');
  });
});
