// llm-policy keygen: an Ed25519 key pair as two text files (formats in src/bundle/keys.ts).
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair } from '../../bundle/index';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from '../../publish/keys';
import { expectPositionals, parseCommandArgs, requireOption } from '../args';
import type { Command } from '../command';
import { CliError } from '../errors';
import type { Io } from '../io';

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
} as const;

export const keygenCommand: Command = {
  name: 'keygen',
  help: `Usage: llm-policy keygen --out <dir> [--force]

Writes <dir>/${PRIVATE_KEY_FILE} (base64url PKCS#8, mode 0600: keep it secret) and
<dir>/${PUBLIC_KEY_FILE} (base64url raw key: the worker's BUNDLE_PUBLIC_KEY) and prints the key id.
Refuses to replace an existing private key unless --force is given.

Options:
  -o, --out <dir>   folder for the two files (created if missing)
      --force       overwrite an existing private key
  -h, --help        show this help
`,
  run,
};

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('keygen', argv, OPTIONS);
  expectPositionals('keygen', positionals, 0, 0, '');
  const dir = requireOption('keygen', values.out, '--out');
  const privateFile = join(dir, PRIVATE_KEY_FILE);
  const publicFile = join(dir, PUBLIC_KEY_FILE);
  if (!values.force && (await exists(privateFile))) {
    throw new CliError(`${privateFile} already exists; pass --force to replace it (bundles signed with it will no longer verify against the new key)`);
  }
  const pair = await generateKeyPair();
  await mkdir(dir, { recursive: true });
  await writeFile(privateFile, `${pair.privateKey}\n`, { mode: 0o600 });
  // writeFile's mode applies only to a new file and is filtered by the umask: make 0600 certain.
  await chmod(privateFile, 0o600);
  await writeFile(publicFile, `${pair.publicKey}\n`);
  io.err(`wrote ${privateFile} (secret) and ${publicFile}\n`);
  io.out(`${pair.keyId}\n`);
  return 0;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
