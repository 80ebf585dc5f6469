// llm-policy simulate: a what-if over many contexts (a JSONL file or a seeded synthetic set),
// optionally against a second policy set to show which decisions a change would flip.
import { readFile } from 'node:fs/promises';
import { parseFixtures } from '../../simulate/fixtures';
import { formatReport } from '../../simulate/format';
import { replayDecisions } from '../../simulate/replay';
import { formatReplay } from '../../simulate/replay-format';
import { simulate, type SimulationContext } from '../../simulate/simulate';
import { syntheticContexts } from '../../simulate/synthetic';
import { choice, expectPositionals, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { CliError, UsageError } from '../errors';
import { makeEnricher } from '../enrichment';
import { evaluatorOf, loadSource } from '../inputs';
import type { Io } from '../io';
import { json } from '../output';
import { readDecisionRecords, reportProblems } from '../records';

const MAX_SYNTHETIC = 1_000_000;
const DEFAULT_SEED = '1';

const OPTIONS = {
  fixtures: { type: 'string' },
  'from-decisions': { type: 'string' },
  synthetic: { type: 'string' },
  seed: { type: 'string' },
  compare: { type: 'string' },
  format: { type: 'string' },
  'no-enrich': { type: 'boolean' },
  now: { type: 'string' },
  'skip-invalid': { type: 'boolean' },
  examples: { type: 'string' },
} as const;

export const simulateCommand: Command = {
  name: 'simulate',
  help: `Usage: llm-policy simulate <dir or bundle> (--fixtures F | --synthetic N [--seed S]) [options]
       llm-policy simulate <dir or bundle> --from-decisions F.ndjson [--format json] [--examples n]

Evaluates every context and reports decisions, how often each rule matched (and which never
did) and, with --compare, the contexts whose decision changes from the --compare set ("before")
to <dir or bundle> ("after"), with examples and the rules that decided them. Exit 0.

Contexts:
      --fixtures <file>      JSON Lines: one context object per line; blank lines are skipped.
                             A line that is not a JSON object stops the run (exit 1) with its
                             file:line, unless --skip-invalid is given.
      --synthetic <N>        N generated contexts: providers, models, tiers, teams, environments,
                             roles, token counts, costs, PII and injection scores in realistic
                             proportions. The same --seed gives the same contexts (default seed ${DEFAULT_SEED}).
      --seed <S>             seed for --synthetic (any text or number)
      --from-decisions <file>  replay recorded traffic: the NDJSON of GET /v1/decisions. Each
                             record's context (as the edge evaluated it, masked) is evaluated
                             again and compared with the decision recorded then: decisions then
                             and now, the changes (from → to, deciding rules, teams, users), the
                             estimated cost the new set would have blocked, records without a
                             context (not replayable) and rules that read fields the records
                             hold only masked or hashed (approximate). No enrichment, no --compare.

Options:
      --compare <dir or bundle>  the current policies, to compare against
      --format text|json         text (default) or the full report as JSON
      --no-enrich                evaluate contexts as given (no token, cost, PII, injection, time fields)
      --now <iso time>           the clock enrichment uses for contexts without time.* (default: now)
      --skip-invalid             report bad fixture lines on stderr and go on without them
      --examples <n>             examples shown per kind of change (default 3)
  -h, --help                     show this help
`,
  run,
};

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('simulate', argv, OPTIONS);
  expectPositionals('simulate', positionals, 1, Infinity, 'the policy folder or bundle to simulate');
  const format = choice('simulate', values.format, '--format', ['text', 'json'] as const, 'text');
  const sources = [values.fixtures, values.synthetic, values['from-decisions']].filter((v) => v !== undefined).length;
  if (sources !== 1) throw new UsageError('give exactly one of --fixtures F, --synthetic N or --from-decisions F', 'simulate');
  if (values.seed !== undefined && values.synthetic === undefined) throw new UsageError('--seed goes with --synthetic', 'simulate');
  const examples = values.examples === undefined ? 3 : wholeNumber(values.examples, '--examples', 0, 1000);
  if (values['from-decisions'] !== undefined) return replay(values['from-decisions'], positionals, { ...values, format, examples }, io);

  const main = await loadSource(positionals, io);
  const compare = values.compare === undefined ? undefined : await loadSource([values.compare], io);
  const contexts = values.fixtures !== undefined
    ? await fixtureContexts(values.fixtures, values['skip-invalid'] === true, io)
    : syntheticContexts(wholeNumber(values.synthetic!, '--synthetic', 1, MAX_SYNTHETIC), values.seed ?? DEFAULT_SEED)
        .map((context, i) => ({ label: `#${i + 1}`, context }));

  const enrich = values['no-enrich'] ? undefined : makeEnricher(values.now);
  const enriched = enrich ? contexts.map((c) => ({ ...c, context: enrich(c.context as Record<string, unknown>) })) : contexts;

  const report = simulate(evaluatorOf(main), enriched, compare && evaluatorOf(compare), { examples });
  io.out(format === 'json' ? json(report) : formatReport(report, { main: positionals.join(' '), compare: values.compare }));
  return 0;
}

async function replay(file: string, positionals: string[], o: { compare?: string; 'no-enrich'?: boolean; now?: string; 'skip-invalid'?: boolean; format: 'text' | 'json'; examples: number }, io: Io): Promise<number> {
  for (const [flag, given] of [['--compare', o.compare !== undefined], ['--no-enrich', o['no-enrich'] === true], ['--now', o.now !== undefined]] as const) {
    if (given) throw new UsageError(`${flag} does not go with --from-decisions (records are compared with what was decided then, on the context the edge evaluated)`, 'simulate');
  }
  const main = await loadSource(positionals, io);
  const records = await readDecisionRecords(file, o['skip-invalid'] === true, io);
  const report = replayDecisions(evaluatorOf(main), records, { examples: o.examples });
  io.out(o.format === 'json' ? json(report) : formatReplay(report, positionals.join(' ')));
  return 0;
}

async function fixtureContexts(file: string, skipInvalid: boolean, io: Io): Promise<SimulationContext[]> {
  const { contexts, problems } = parseFixtures(await readFile(file, 'utf8'), file);
  reportProblems(problems, skipInvalid, io);
  if (contexts.length === 0) throw new CliError(`${file}: no contexts (expected one JSON object per line)`);
  return contexts.map(({ line, context }) => ({ label: `line ${line}`, context }));
}

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`, 'simulate');
  return n;
}
