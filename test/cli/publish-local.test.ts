// Integration: publish into the local KV (the storage `wrangler dev` serves) under a temporary
// --persist-to folder, then read it back with wrangler's own `kv key get --local --persist-to`,
// which resolves the same storage the way `wrangler dev --persist-to` does.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, parseBundle, sha256Hex, verifyBundle, verifyPointer } from '../../src/bundle/index';
import { seedDevClientKey } from '../../src/publish/dev-client-key';
import { withTarget } from '../../src/publish/kv-target';
import type { SigningKey } from '../../src/publish/keys';
import { LocalKvTarget } from '../../src/publish/local-kv-target';
import { publish } from '../../src/publish/pipeline';
import { WranglerKvTarget } from '../../src/publish/wrangler-kv-target';

const CONFIG = resolve('wrangler.toml');
// Starting workerd and the wrangler CLI takes seconds; this is a ceiling, not an assertion.
const SLOW = 180_000;

let root: string;
let key: SigningKey;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'publish-local-'));
  await writeFile(join(root, 'policy.yaml'), 'metadata:\n  id: allow-all\nrules:\n  - id: everything\n    condition: true\n    action: { decision: allow }\n');
  key = { ...(await generateKeyPair()), file: '(test)' };
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('local target', () => {
  it('writes what wrangler reads from the same --persist-to state', async () => {
    const persistTo = join(root, 'state');
    const local = new LocalKvTarget({ configPath: CONFIG, persistTo });
    const result = await withTarget(local, async (target) => {
      await seedDevClientKey(target, new Date('2026-11-22T10:00:00Z'));
      await publish({ dir: root, target, key, actor: 'test' });
      return publish({ dir: root, target, key, actor: 'test' });
    });
    expect(result.version).toBe('0.1.1');

    const wrangler = new WranglerKvTarget({ binding: 'BUNDLES', location: { remote: false, persistTo }, configPath: CONFIG });
    const pointer = JSON.parse((await wrangler.get('pointer'))!);
    expect(pointer).toMatchObject({ stable: '0.1.1', sequence: 2 });
    expect((await verifyPointer(pointer, key.publicKey)).ok).toBe(true);
    const bundle = parseBundle(JSON.parse((await wrangler.get('bundle:0.1.1'))!));
    expect(await verifyBundle(bundle, key.publicKey)).toBe(true);
    expect((await wrangler.list('bundle:')).sort()).toEqual(['bundle:0.1.0', 'bundle:0.1.1']);

    const record = JSON.parse((await wrangler.get(`key:${await sha256Hex('dev-client-key')}`))!);
    expect(record).toEqual({
      id: 'dev',
      subject: { user: { id: 'dev-user' }, team: { id: 'dev-team', tier: 'free' }, project: { id: 'dev-project', environment: 'dev' } },
      name: 'local dev key',
      createdAt: '2026-11-22T10:00:00.000Z',
    });
  }, SLOW);

  it('reopening the state sees what an earlier session wrote', async () => {
    const persistTo = join(root, 'state-reopen');
    await withTarget(new LocalKvTarget({ configPath: CONFIG, persistTo }), (t) => t.put('probe', '"first session"'));
    const again = await withTarget(new LocalKvTarget({ configPath: CONFIG, persistTo }), (t) => t.get('probe'));
    expect(again).toBe('"first session"');
  }, SLOW);
});
