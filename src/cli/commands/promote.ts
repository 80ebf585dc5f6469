// llm-policy promote: move the canary up (10 → 50 → 100%) or to a given percent (src/publish).
import { expectPositionals, parseCommandArgs } from '../args';
import type { Command } from '../command';
import type { Io } from '../io';
import { runRolloutCommand, TARGET_HELP, TARGET_OPTIONS, WORKER_HELP, WORKER_OPTIONS } from '../publish-bridge';

const OPTIONS = {
  ...TARGET_OPTIONS,
  ...WORKER_OPTIONS,
  to: { type: 'string' },
  gates: { type: 'string' },
  reason: { type: 'string' },
  actor: { type: 'string' },
  force: { type: 'boolean' },
} as const;

export const promoteCommand: Command = {
  name: 'promote',
  help: `Usage: llm-policy promote [--to P] [--gates JSON] [--target local|remote] [options]

Moves the canary to its next step (10 → 50 → 100%) or to --to P percent; at 100 it becomes the
stable. Only when the rollout gates pass: it reads them from the worker (GET /v1/rollout) and
prints the gate table. Checks that the bundle it points traffic at is in KV and verifies first.

Options:
      --to <percent>          the canary's new percent (100 makes it the stable)
      --gates <json|@file>    replace the canary's gate thresholds on the pointer (default: keep
                              the ones publish --gates set); at 100% they are dropped
      --force                 promote although the gates fail or cannot be read (needs --reason)
      --reason <text>         recorded in the rollout history
${WORKER_HELP}
      --actor <name>          who did it (default: the user name)
${TARGET_HELP}
  -h, --help                  show this help
`,
  async run(argv: string[], io: Io): Promise<number> {
    expectPositionals('promote', parseCommandArgs('promote', argv, OPTIONS).positionals, 0, 0, '');
    return runRolloutCommand('promote', argv, OPTIONS, io);
  },
};
