// Signing keys on disk. The local dev pair lives in `.dev-keys/` (git-ignored): `private.key`
// (base64url PKCS#8, mode 0600) and `public.key` (base64url raw 32 bytes, what the worker's
// BUNDLE_PUBLIC_KEY holds). `--key FILE` names any other private key file in the same format.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair, keyIdOf, publicKeyOf } from '../bundle/index';
import { PolicyError } from '../policy/errors';

export const DEV_KEY_DIR = '.dev-keys';
export const PRIVATE_KEY_FILE = 'private.key';
export const PUBLIC_KEY_FILE = 'public.key';

export interface SigningKey {
  privateKey: string;
  publicKey: string;
  keyId: string;
  file: string;
}

export function devPrivateKeyPath(root = '.'): string {
  return join(root, DEV_KEY_DIR, PRIVATE_KEY_FILE);
}

/** Reads a private key file; the public half and key id are derived from it. */
export async function loadSigningKey(file: string): Promise<SigningKey> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'no such file (run `llm-policy keygen --out keys/` first, then pass --key keys/private.key)'
      : (e as Error).message;
    throw new PolicyError('input_error', `cannot read the signing key ${file}: ${why}`, { file });
  }
  try {
    const publicKey = await publicKeyOf(text);
    return { privateKey: text, publicKey, keyId: await keyIdOf(publicKey), file };
  } catch (e) {
    throw new PolicyError('signature_error', `${file}: ${(e as Error).message}`, { file });
  }
}

/** Loads the dev key pair from `<root>/.dev-keys`, creating it when absent. */
export async function ensureDevKeyPair(root = '.'): Promise<SigningKey & { created: boolean }> {
  const dir = join(root, DEV_KEY_DIR);
  const privateFile = join(dir, PRIVATE_KEY_FILE);
  const publicFile = join(dir, PUBLIC_KEY_FILE);
  let created = false;
  try {
    await readFile(privateFile);
  } catch {
    const pair = await generateKeyPair();
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(privateFile, `${pair.privateKey}\n`, { mode: 0o600, flag: 'wx' });
    // The mode given to writeFile is filtered by the umask; make 0600 certain.
    await chmod(privateFile, 0o600);
    created = true;
  }
  const key = await loadSigningKey(privateFile);
  // public.key is derived, so rewrite it whenever it is missing or does not match.
  const onDisk = await readFile(publicFile, 'utf8').then((t) => t.trim(), () => '');
  if (onDisk !== key.publicKey) await writeFile(publicFile, `${key.publicKey}\n`, { mode: 0o644 });
  return { ...key, created };
}
