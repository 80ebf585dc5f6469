// llm-policy compile: policy files into a bundle (spec §8), signed when given a private key.
import { signBundle } from '../../bundle/index';
import { lint } from '../../lint/index';
import { PolicyError } from '../../policy/errors';
import type { Bundle, Policy } from '../../policy/types';
import { loadSigningKey } from '../../publish/keys';
import { choice, expectPositionals, parseCommandArgs, requireOption } from '../args';
import type { Command } from '../command';
import { CliError } from '../errors';
import { bundleText, writeOutput } from '../files';
import { loadSource } from '../inputs';
import type { Io } from '../io';
import { count } from '../output';

const OPTIONS = {
  version: { type: 'string' },
  out: { type: 'string', short: 'o' },
  key: { type: 'string' },
  'default-decision': { type: 'string' },
} as const;

export const compileCommand: Command = {
  name: 'compile',
  help: `Usage: llm-policy compile <dir or files...> --version <semver> [--out F] [--key K] [--default-decision allow|deny]

Validates and compiles the policies into a bundle (llm-policy-bundle/v1) and writes it as JSON
to --out, or to stdout. Draft and disabled policies are checked but left out.

Options:
      --version <semver>        the bundle's version, e.g. 1.4.0 (required)
  -o, --out <file>              where to write the bundle (default stdout)
      --key <file>              sign with this Ed25519 private key file (from llm-policy keygen)
      --default-decision allow|deny
                                decision when no rule matches (default allow)
  -h, --help                    show this help
`,
  run,
};

/**
 * Ids lint calls duplicates are refused here too: two budgets with one id would share counters
 * and `budget.<id>.*` fields in the bundle, so it must not compile (as publish refuses it).
 */
function refuseDuplicateIds(policies: Policy[]): void {
  const duplicate = lint(policies).find((f) => f.code === 'duplicate-id' && f.severity === 'error');
  if (!duplicate) return;
  const { file, line, column, path } = duplicate;
  throw new PolicyError('compile_error', `${duplicate.message}; not compiling`, { file, line, column, path });
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('compile', argv, OPTIONS);
  expectPositionals('compile', positionals, 1, Infinity, 'a policy folder');
  const version = requireOption('compile', values.version, '--version');
  const defaultDecision = choice('compile', values['default-decision'], '--default-decision', ['allow', 'deny'] as const, 'allow');

  const createdAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const source = await loadSource(positionals, io, { version, defaultDecision, createdAt });
  if (source.kind === 'bundle') throw new CliError(`${positionals[0]}: already a compiled bundle; use llm-policy sign to sign it`);
  refuseDuplicateIds(source.policies);
  let bundle: Bundle = source.bundle;
  let signedBy = 'unsigned';
  if (values.key !== undefined) {
    const key = await loadSigningKey(values.key);
    bundle = await signBundle(bundle, key.privateKey);
    signedBy = `signed by key ${key.keyId}`;
  }
  await writeOutput(bundleText(bundle), values.out, io);
  const rules = bundle.policies.reduce((n, p) => n + p.rules.length, 0);
  const where = values.out && values.out !== '-' ? `wrote ${values.out}: ` : '';
  io.err(`${where}bundle ${bundle.version}, ${count(bundle.policies.length, 'policy', 'policies')}, ${count(rules, 'rule')}, ${bundle.hash}, ${signedBy}\n`);
  return 0;
}
