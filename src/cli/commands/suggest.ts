// llm-policy suggest: suggestions from recorded traffic (src/authoring/suggest), as JSON.
import { suggest } from '../../authoring/suggest/index';
import { parseCommandArgs, expectPositionals } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { writeOutput } from '../files';
import { readPoliciesOrBundle } from '../inputs';
import type { Io } from '../io';
import { json } from '../output';
import { readDecisionRecords } from '../records';

const OPTIONS = {
  'from-decisions': { type: 'string' },
  policies: { type: 'string' },
  out: { type: 'string', short: 'o' },
  'skip-invalid': { type: 'boolean' },
} as const;

export const suggestCommand: Command = {
  name: 'suggest',
  help: `Usage: llm-policy suggest --from-decisions F.ndjson [--policies DIR] [--out F]

Analyses recorded decisions (the NDJSON of GET /v1/decisions) and prints suggestions as a JSON
list, most urgent first: {id, category, metric, recommendation, priority, effort, impact,
confidence, evidence, policy, tests}. Each policy is valid and lint-clean on its own, with tests
on both sides of its threshold; \`llm-policy generate --from-suggestions F --index N\` writes one
as files. Deterministic: the same records give the same list. It finds
  - teams near (80%) or over a budget, from the recorded budget state and refusals;
  - expensive models used for short prompts (under 300 tokens, 20+ requests, half the model's): route_model;
  - personal data (llm.containsPII) in allowed production requests: redact_pii;
  - rules that matched none of the recorded requests (replayed; needs --policies, 100+ records);
  - rules denying half or more of one team's requests (20+): a trial exception in shadow mode;
  - injection scores clustering just under the block threshold (the band 0.1 below it);
  - users sending 30+ requests in a minute with no per-user rate limit.

Options:
      --from-decisions <file>  the recorded decisions (required)
      --policies <dir or bundle>  the policy set in force: dead rules, the injection threshold,
                             budgets scoped by team and existing rate limits come from it
  -o, --out <file>           write the JSON there instead of stdout
      --skip-invalid         report bad record lines on stderr and go on without them
  -h, --help                 show this help
`,
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('suggest', argv, OPTIONS);
    expectPositionals('suggest', positionals, 0, 0, '');
    if (values['from-decisions'] === undefined) throw new UsageError('--from-decisions F.ndjson is required (the NDJSON of GET /v1/decisions)', 'suggest');
    const records = await readDecisionRecords(values['from-decisions'], values['skip-invalid'] === true, io);
    const policies = values.policies === undefined ? undefined : (await readPoliciesOrBundle([values.policies], io)).policies;
    const suggestions = suggest({ records, policies });
    await writeOutput(json(suggestions), values.out, io);
    if (values.out !== undefined && values.out !== '-') io.err(`wrote ${values.out}: ${suggestions.length} suggestions from ${records.length} records\n`);
    return 0;
  },
};
