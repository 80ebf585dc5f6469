// llm-policy verify: is this bundle's hash right and its signature by this public key?
import { readFile } from 'node:fs/promises';
import { verifyBundleDetailed } from '../../bundle/index';
import { expectPositionals, parseCommandArgs, requireOption } from '../args';
import type { Command } from '../command';
import { readBundleFile } from '../inputs';
import type { Io } from '../io';

const OPTIONS = {
  'public-key': { type: 'string' },
} as const;

export const verifyCommand: Command = {
  name: 'verify',
  help: `Usage: llm-policy verify <bundle.json> --public-key <public.key>

Exit 0 and "valid" when the hash matches the content and the signature verifies with the key;
exit 1 with the reason (hash_mismatch, bad_signature, wrong_key, missing_signature, malformed).

Options:
      --public-key <file>   Ed25519 public key file (public.key from llm-policy keygen)
  -h, --help                show this help
`,
  run,
};

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify', argv, OPTIONS);
  expectPositionals('verify', positionals, 1, 1, 'the bundle file');
  const keyFile = requireOption('verify', values['public-key'], '--public-key');
  const file = positionals[0];
  const bundle = await readBundleFile(file);
  const publicKey = (await readFile(keyFile, 'utf8')).trim();
  const result = await verifyBundleDetailed(bundle, publicKey);
  if (!result.ok) {
    io.err(`error: ${file}: invalid: ${result.reason}: ${result.message}\n`);
    return 1;
  }
  io.out(`${file}: valid: bundle ${bundle.version}, ${bundle.hash}, signed by key ${result.keyId}\n`);
  return 0;
}
