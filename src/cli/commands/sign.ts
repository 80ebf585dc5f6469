// llm-policy sign: sign (or re-sign) a compiled bundle with a private key file.
import { signBundle } from '../../bundle/index';
import { loadSigningKey } from '../../publish/keys';
import { expectPositionals, parseCommandArgs, requireOption } from '../args';
import type { Command } from '../command';
import { bundleText, writeOutput } from '../files';
import { readBundleFile } from '../inputs';
import type { Io } from '../io';

const OPTIONS = {
  key: { type: 'string' },
  out: { type: 'string', short: 'o' },
} as const;

export const signCommand: Command = {
  name: 'sign',
  help: `Usage: llm-policy sign <bundle.json> --key <private.key> [--out F]

Signs the bundle (replacing any signature) and writes it to --out, or to stdout. Refuses a bundle
whose hash does not match its content.

Options:
      --key <file>    Ed25519 private key file (from llm-policy keygen)
  -o, --out <file>    where to write the signed bundle (default stdout; may be the input file)
  -h, --help          show this help
`,
  run,
};

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('sign', argv, OPTIONS);
  expectPositionals('sign', positionals, 1, 1, 'the bundle file');
  const keyFile = requireOption('sign', values.key, '--key');
  const bundle = await readBundleFile(positionals[0]);
  const key = await loadSigningKey(keyFile);
  const signed = await signBundle(bundle, key.privateKey);
  await writeOutput(bundleText(signed), values.out, io);
  io.err(`signed bundle ${signed.version} (${signed.hash}) with key ${key.keyId}\n`);
  return 0;
}
