import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicKeyOf } from '../../src/bundle/index';
import { ensureDevKeyPair, loadSigningKey } from '../../src/publish/keys';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'publish-keys-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('dev key pair', () => {
  it('is created in .dev-keys with a 0600 private key and the matching public key', async () => {
    const key = await ensureDevKeyPair(root);
    expect(key.created).toBe(true);
    const privateFile = join(root, '.dev-keys', 'private.key');
    expect((await stat(privateFile)).mode & 0o777).toBe(0o600);
    expect((await readFile(privateFile, 'utf8')).trim()).toBe(key.privateKey);
    expect((await readFile(join(root, '.dev-keys', 'public.key'), 'utf8')).trim()).toBe(key.publicKey);
    expect(await publicKeyOf(key.privateKey)).toBe(key.publicKey);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is reused when present, and a missing or wrong public.key is rewritten', async () => {
    const first = await ensureDevKeyPair(root);
    await writeFile(join(root, '.dev-keys', 'public.key'), 'stale\n');
    const second = await ensureDevKeyPair(root);
    expect(second.created).toBe(false);
    expect(second.privateKey).toBe(first.privateKey);
    expect((await readFile(join(root, '.dev-keys', 'public.key'), 'utf8')).trim()).toBe(first.publicKey);
  });
});

describe('loadSigningKey', () => {
  it('says which file is missing', async () => {
    await expect(loadSigningKey(join(root, 'nope.key'))).rejects.toThrow(`cannot read the signing key ${join(root, 'nope.key')}: no such file`);
  });

  it('says when the file is not a private key', async () => {
    const { publicKey } = await ensureDevKeyPair(root);
    const file = join(root, 'public-by-mistake.key');
    await writeFile(file, publicKey);
    await expect(loadSigningKey(file)).rejects.toThrow(/public-by-mistake\.key: not a base64url Ed25519 private key .*looks like a public key/);
  });
});
