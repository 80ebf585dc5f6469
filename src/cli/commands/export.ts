// llm-policy export: the policy set as Cedar, CEL or Rego, and what of it cannot be written there.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXPORT_FORMATS, exportPolicies } from '../../authoring/export/index';
import { gapLines } from '../../authoring/export/plan';
import { choice, expectPositionals, parseCommandArgs, requireOption } from '../args';
import type { Command } from '../command';
import { CliError } from '../errors';
import { loadSource } from '../inputs';
import type { Io } from '../io';
import { count } from '../output';

const OPTIONS = {
  format: { type: 'string' },
  out: { type: 'string', short: 'o' },
  'default-decision': { type: 'string' },
} as const;

export const exportCommand: Command = {
  name: 'export',
  help: `Usage: llm-policy export <dir or bundle> --format cedar|cel|rego [--out DIR] [--default-decision allow|deny]

Writes the active policies' rules in another engine's language, with our combination (the
highest priority tier that matches decides, deny over needs_approval over allow inside it, else
the default) encoded in it. What cannot be expressed is listed on stderr and in the file's header.

  cedar  policies.cedar (+ context.cedarschema): a permit or forbid per authoritative rule; tiers as
         unless clauses. Needs a typed context (numbers as decimals, lists as sets; the header
         lists each field's type). Checked against cedar-wasm. No regexes (matches), string
         ordering, list indexes or list equality; warn and modify rules are left out.
  cel    policies.cel.yaml: a CEL expression per rule and per stage a decision expression over
         the variable "context". Expresses every condition; checked against cel-js.
  rego   policies.rego: package llm_policy, rego.v1; request_decision, matched, warnings.
         Generated but UNVERIFIED (no OPA in this project's tests).

Never expressed: budgets and rate limits (counters across requests), obligations and reason
templates (CEL and Rego carry them as data), shadow rules, onError.

Options:
      --format cedar|cel|rego   the target language (required)
  -o, --out <dir>               write the files there (default: the main file to stdout)
      --default-decision allow|deny
                                decision when no rule matches, for policy folders (default
                                allow; a bundle has its own)
  -h, --help                    show this help

Exit 0 when at least one rule was exported, 1 when none could be or on bad input.
`,
  run,
};

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', argv, OPTIONS);
  expectPositionals('export', positionals, 1, 1, 'a policy folder, file or bundle');
  const format = choice('export', requireOption('export', values.format, '--format'), '--format', EXPORT_FORMATS, 'cedar');
  const defaultDecision = choice('export', values['default-decision'], '--default-decision', ['allow', 'deny'] as const, 'allow');
  const source = await loadSource(positionals, io, { defaultDecision });
  const result = exportPolicies(source.bundle.policies, { format, defaultDecision: source.bundle.defaultDecision });
  const total = source.bundle.policies.reduce((n, p) => n + p.rules.filter((r) => r.enabled !== false).length, 0);
  for (const line of gapLines(result.gaps, true)) io.err(`${line}\n`);
  if (result.exported.length === 0) {
    throw new CliError(`${positionals[0]}: nothing to export: none of its ${count(total, 'rule')} can be written in ${format}`);
  }
  const summary = `${count(result.exported.length, 'rule')} of ${total} exported to ${format}`;
  if (values.out === undefined || values.out === '-') {
    io.out(result.files[0].text);
    io.err(`${summary}\n`);
    return 0;
  }
  await mkdir(values.out, { recursive: true });
  for (const file of result.files) await writeFile(join(values.out, file.name), file.text);
  io.err(`wrote ${result.files.map((f) => join(values.out as string, f.name)).join(', ')}: ${summary}\n`);
  return 0;
}
