// scripts/publish.ts's argument handling, against an in-memory target: one-line errors, exit codes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/bundle/index';
import { runPublishCli } from '../../src/publish/cli';
import { MemoryKvTarget } from '../../src/publish/memory-kv-target';

let root: string;
let keyFile: string;
let kv: MemoryKvTarget;
let out: string[];
let err: string[];
const kinds: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'publish-cli-'));
  await writeFile(join(root, 'allow.yaml'), 'metadata:\n  id: allow-all\nrules:\n  - id: everything\n    condition: true\n    action: { decision: allow }\n');
  keyFile = join(root, 'private.key');
  await writeFile(keyFile, `${(await generateKeyPair()).privateKey}\n`);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  kv = new MemoryKvTarget();
  out = [];
  err = [];
  kinds.length = 0;
});

/** A loopback port that was free a moment ago, now closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

const cli = (...argv: string[]) =>
  runPublishCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), target: (kind) => (kinds.push(kind), kv) });

describe('publish CLI', () => {
  it('prints usage for --help', async () => {
    expect(await cli('--help')).toBe(0);
    expect(out[0]).toMatch(/^usage:/);
  });

  it('errors are one line on stderr with exit code 1', async () => {
    expect(await cli(root, '--canry', '5', '--key', keyFile)).toBe(1);
    expect(err).toEqual(["error: Unknown option '--canry' (see --help)"]);
    err.length = 0;
    expect(await cli(root, '--canary', 'ten', '--key', keyFile)).toBe(1);
    expect(err).toEqual(['error: --canary must be a whole percent, got "ten"']);
  });

  it('a publish while a canary runs is refused in one line, and --replace-canary allows it', async () => {
    expect(await cli(root, '--version', '0.1.5', '--key', keyFile)).toBe(0);
    expect(await cli(root, '--version', '0.1.8', '--canary', '70', '--key', keyFile)).toBe(0);
    const running = JSON.stringify([...kv.values.entries()]);
    for (const extra of [[], ['--canary', '10']]) {
      err.length = 0;
      expect(await cli(root, '--version', '0.1.9', ...extra, '--key', keyFile)).toBe(1);
      expect(err).toEqual(['error: a canary of 0.1.8 is running at 70%: promote or roll back first, or pass --replace-canary']);
      expect(JSON.stringify([...kv.values.entries()])).toBe(running);
    }
    expect(await cli(root, '--version', '0.1.9', '--canary', '10', '--replace-canary', '--key', keyFile)).toBe(0);
    expect(out.at(-1)).toMatch(/^published 0\.1\.9 as canary at 10%/);
    expect(await cli(root, '--version', '0.2.0', '--replace-canary', '--key', keyFile)).toBe(0);
    expect(out.at(-1)).toMatch(/^published 0\.2\.0 as stable/);
  });

  it('remote needs an explicit key', async () => {
    expect(await cli(root, '--target', 'remote')).toBe(1);
    expect(kinds).toEqual(['remote']);
    expect(err).toEqual(['error: --target remote needs --key FILE: the local dev key must not sign what a deployed worker loads']);
  });

  it('refusing an old version is one line naming both versions', async () => {
    expect(await cli(root, '--version', '1.3.0', '--key', keyFile)).toBe(0);
    expect(out.at(-1)).toMatch(/^published 1\.3\.0 as stable \(1 policy, 0 tests passed, 0 warnings\); pointer sequence 1$/);
    expect(await cli(root, '--version', '1.2.0', '--key', keyFile)).toBe(1);
    expect(err.at(-1)).toBe('error: version 1.2.0 is not greater than the current stable 1.3.0');
  });

  it('promote, rollback and status move and show the pointer', async () => {
    expect(await cli(root, '--key', keyFile, '--version', '1.0.0')).toBe(0);
    expect(await cli(root, '--key', keyFile, '--canary', '10', '--version', '1.1.0')).toBe(0);
    expect(out.at(-1)).toMatch(/^published 1\.1\.0 as canary at 10%/);

    // No worker answers with the gates here: promote refuses, and --force --reason overrides.
    expect(await cli('promote', '--key', keyFile, '--url', 'http://127.0.0.1:9')).toBe(1);
    expect(err.at(-1)).toMatch(/^error: promotion stopped by a rollout gate: cannot read the rollout gates from http:\/\/127\.0\.0\.1:9.*--force --reason/);
    expect(await cli('promote', '--key', keyFile, '--url', 'http://127.0.0.1:9', '--force', '--reason', 'no traffic yet')).toBe(0);
    expect(out.at(-1)).toBe('canary 1.1.0 now at 50% (stable 1.0.0), sequence 3');
    expect(await cli('rollback', '--key', keyFile, '--reason', 'errors', '--actor', 'oncall')).toBe(0);
    expect(out.at(-1)).toBe('dropped canary 1.1.0; stable is 1.0.0, sequence 4');
    expect(await cli('rollback', '--key', keyFile)).toBe(1);
    expect(err.at(-1)).toBe('error: rollback needs --reason "why"');
    expect(await cli('promote', '--key', keyFile)).toBe(1);
    expect(err.at(-1)).toBe('error: there is no canary to promote');

    expect(await cli('status', '--key', keyFile)).toBe(0);
    const text = out.at(-1)!;
    expect(text).toContain('stable:   1.0.0');
    expect(text).toContain('canary:   none');
    expect(text).toMatch(/signature: verified \(key [0-9a-f]{16}\)/);
    expect(text).toMatch(/#4 \S+ oncall rollback: 1\.0\.0 \+ canary 1\.1\.0 50% -> 1\.0\.0 \(errors\)/);
  });

  it('status --tenant names the tenant\'s canary bucket and the version it gets', async () => {
    expect(await cli(root, '--version', '1.0.0', '--key', keyFile)).toBe(0);
    expect(await cli(root, '--version', '1.1.0', '--canary', '10', '--key', keyFile)).toBe(0);
    // The dev key's tenant, dev-team, is in bucket 65 (issue 14): a 10% canary does not reach it.
    expect(await cli('status', '--tenant', 'dev-team', '--key', keyFile)).toBe(0);
    expect(out.at(-1)).toContain('tenant:   "dev-team" is in bucket 65 of 0-99: gets the stable 1.0.0 (canary 1.1.0 at 10% serves buckets 0-9)');
    expect(await cli('promote', '--to', '70', '--force', '--reason', 'test', '--url', 'http://127.0.0.1:1', '--key', keyFile)).toBe(0);
    // A port nothing listens on: the gates line says how to point at a worker on another port.
    const port = await closedPort();
    expect(await cli('status', '--tenant', 'dev-team', '--key', keyFile, '--url', `http://127.0.0.1:${port}`)).toBe(0);
    expect(out.at(-1)).toContain(`gates:    not available (http://127.0.0.1:${port}: fetch failed (ECONNREFUSED); is the worker running there? For another port or host pass --url URL or set LLM_POLICY_URL)`);
    expect(out.at(-1)).toContain('tenant:   "dev-team" is in bucket 65 of 0-99: gets the canary 1.1.0 (canary 1.1.0 at 70% serves buckets 0-69)');
  });

  it('publish takes exactly one folder', async () => {
    expect(await cli('--key', keyFile)).toBe(1);
    expect(err).toEqual(['error: publish takes one policy folder, got none']);
  });
});
