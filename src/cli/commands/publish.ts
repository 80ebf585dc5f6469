// llm-policy publish: compile, lint, test, sign, upload to KV and move the pointer (src/publish).
import { expectPositionals, parseCommandArgs } from '../args';
import type { Command } from '../command';
import type { Io } from '../io';
import { runRolloutCommand, TARGET_HELP, TARGET_OPTIONS } from '../publish-bridge';

const OPTIONS = {
  ...TARGET_OPTIONS,
  version: { type: 'string' },
  canary: { type: 'string' },
  gates: { type: 'string' },
  'replace-canary': { type: 'boolean' },
  reason: { type: 'string' },
  actor: { type: 'string' },
} as const;

export const publishCommand: Command = {
  name: 'publish',
  help: `Usage: llm-policy publish <dir> [--target local|remote] [--version V] [--canary P [--gates JSON]] [--replace-canary] [options]

Loads the policies in <dir>, lints them (errors stop it), runs their tests (failures stop it),
compiles and signs the bundle, uploads it as bundle:<version> and moves the signed pointer to it:
as the new stable, or with --canary as a canary at P% beside the current stable.

Options:
      --version <semver>      default: the current stable with its patch + 1
      --canary <percent>      publish as a canary at 1-99%
      --gates <json|@file>    with --canary: this canary's gate thresholds, signed into the pointer,
                              e.g. '{"maxErrorRate":0.01,"minDecisions":500}' (fields maxErrorRate,
                              denyMargin, denyFloor, costMargin, minDecisions; the rest come from
                              the worker's GATE_* vars). Without --gates a publish drops them
      --replace-canary        publish although a canary is running (it is dropped, or replaced
                              by this canary); without it that publish is refused
      --reason <text>         recorded in the rollout history
      --actor <name>          who did it (default: the user name)
${TARGET_HELP}
  -h, --help                  show this help
`,
  async run(argv: string[], io: Io): Promise<number> {
    const { positionals } = parseCommandArgs('publish', argv, OPTIONS);
    expectPositionals('publish', positionals, 1, 1, 'the policy folder');
    return runRolloutCommand('publish', argv, OPTIONS, io);
  },
};
