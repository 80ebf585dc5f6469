// The pieces `npm run dev` is made of: .dev.vars, the dev client key, waiting for /healthz.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/bundle/index';
import { seedDevClientKey } from '../../src/publish/dev-client-key';
import { ensureDevVars, readVar } from '../../src/publish/dev-vars';
import { waitForHealth } from '../../src/publish/health';
import { MemoryKvTarget } from '../../src/publish/memory-kv-target';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'publish-dev-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('.dev.vars', () => {
  it('is written when absent with the local mode vars and the dev public key', async () => {
    const file = join(root, '.dev.vars');
    expect(await ensureDevVars(file, 'PUBKEY')).toEqual({ state: 'created' });
    const text = await readFile(file, 'utf8');
    expect(readVar(text, 'LOCAL_DEV')).toBe('true');
    expect(readVar(text, 'ADMIN_TOKEN')).toBe('dev-admin-token');
    expect(readVar(text, 'BUNDLE_PUBLIC_KEY')).toBe('PUBKEY');
  });

  it('is left alone when present, and a different public key is reported', async () => {
    const file = join(root, '.dev.vars');
    const mine = 'ADMIN_TOKEN=mine\nBUNDLE_PUBLIC_KEY="OTHER"\n';
    await writeFile(file, mine);
    expect(await ensureDevVars(file, 'PUBKEY')).toEqual({ state: 'mismatch', found: 'OTHER' });
    expect(await readFile(file, 'utf8')).toBe(mine);
    await writeFile(file, 'ADMIN_TOKEN=mine\n');
    expect(await ensureDevVars(file, 'PUBKEY')).toEqual({ state: 'mismatch', found: undefined });
    await writeFile(file, "export BUNDLE_PUBLIC_KEY='PUBKEY'\n");
    expect(await ensureDevVars(file, 'PUBKEY')).toEqual({ state: 'ok' });
  });
});

describe('dev client key', () => {
  it('is stored under the sha256 of dev-client-key with the fixed dev subject, once', async () => {
    const kv = new MemoryKvTarget();
    const hash = await sha256Hex('dev-client-key');
    expect(await seedDevClientKey(kv, new Date('2026-11-22T10:00:00Z'))).toBe(`key:${hash}`);
    expect(JSON.parse((await kv.get(`key:${hash}`))!)).toEqual({
      id: 'dev',
      subject: { user: { id: 'dev-user' }, team: { id: 'dev-team', tier: 'free' }, project: { id: 'dev-project', environment: 'dev' } },
      name: 'local dev key',
      createdAt: '2026-11-22T10:00:00.000Z',
    });
    expect(await kv.get('keyid:dev')).toBe(hash);
    await seedDevClientKey(kv, new Date('2027-01-01T00:00:00Z'));
    expect(JSON.parse((await kv.get(`key:${hash}`))!).createdAt).toBe('2026-11-22T10:00:00.000Z');
  });
});

describe('waitForHealth', () => {
  it('polls /healthz until it reports the published bundle version', async () => {
    let calls = 0;
    const server = createServer((req, res) => {
      calls++;
      const ready = calls >= 3;
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ready ? { status: 'ok', bundle: { version: '0.1.4', hash: 'sha256:x' } } : { status: 'no_policy', bundle: null }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const health = await waitForHealth(url, { version: '0.1.4', timeoutMs: 60_000, intervalMs: 10 });
      expect(health).toEqual({ status: 'ok', bundle: { version: '0.1.4', hash: 'sha256:x' } });
      expect(calls).toBe(3);
    } finally {
      server.close();
    }
  });

  it('stops waiting when the server process has gone', async () => {
    expect(await waitForHealth('http://127.0.0.1:9', { timeoutMs: 60_000, alive: () => false })).toBeNull();
  });
});
