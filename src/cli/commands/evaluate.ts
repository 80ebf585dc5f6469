// llm-policy evaluate: one context against policy files, folders or a bundle; prints the Decision.
import { choice, expectPositionals, parseCommandArgs, requireOption } from '../args';
import type { Command } from '../command';
import { readContextArg } from '../context';
import { addedFields, makeEnricher } from '../enrichment';
import { evaluatorOf, loadSource } from '../inputs';
import type { Io } from '../io';
import { formatDecisionText, json, ruleActions } from '../output';

const OPTIONS = {
  context: { type: 'string', short: 'c' },
  explain: { type: 'boolean' },
  'no-enrich': { type: 'boolean' },
  now: { type: 'string' },
  version: { type: 'string' },
  'default-decision': { type: 'string' },
  format: { type: 'string' },
} as const;

export const evaluateCommand: Command = {
  name: 'evaluate',
  help: `Usage: llm-policy evaluate <files or dirs...|bundle.json> --context <json|@file|-> [options]

Evaluates one request context and prints the Decision as JSON. Exit 0 when it was
evaluated (whatever the decision), 1 on bad input.

Inputs are policy files (.yaml, .yml, .json), folders of them, or one compiled bundle.

Options:
  -c, --context <json|@file|->  the context: inline JSON, @path to a JSON file, or - for stdin
      --explain                 add the per-rule trace (what each condition saw)
      --format json|text        json (default) or a readable summary with the rule tree
      --no-enrich               evaluate the context as given (no token, cost, PII, injection, time fields)
      --now <iso time>          the clock enrichment uses for time.* (default: now)
      --version <semver>        version for the bundle compiled on the fly (default 0.0.0-local)
      --default-decision allow|deny
                                decision when no rule matches (policy inputs only; default allow)
  -h, --help                    show this help

Example:
  llm-policy evaluate my-policy.yaml --context '{"llm": {"model": "gpt-4"}, "team": {"tier": "free"}}'
`,
  run,
};

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('evaluate', argv, OPTIONS);
  expectPositionals('evaluate', positionals, 1, Infinity, 'policy files or folders');
  const contextArg = requireOption('evaluate', values.context, '--context');
  const format = choice('evaluate', values.format, '--format', ['json', 'text'] as const, 'json');
  const defaultDecision = choice('evaluate', values['default-decision'], '--default-decision', ['allow', 'deny'] as const, 'allow');

  const source = await loadSource(positionals, io, { version: values.version, defaultDecision });
  const given = await readContextArg(contextArg, io);
  const context = values['no-enrich'] ? given : makeEnricher(values.now)(given);

  const decision = evaluatorOf(source).evaluate(context, { explain: values.explain || format === 'text' });
  io.out(format === 'json' ? json(decision) : formatDecisionText(decision, { enriched: addedFields(given, context), actions: ruleActions(source.bundle) }));
  return 0;
}
