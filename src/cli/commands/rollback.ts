// llm-policy rollback: drop the canary, or return the stable to the previous one (src/publish).
import { expectPositionals, parseCommandArgs, requireOption } from '../args';
import type { Command } from '../command';
import type { Io } from '../io';
import { runRolloutCommand, TARGET_HELP, TARGET_OPTIONS } from '../publish-bridge';

const OPTIONS = {
  ...TARGET_OPTIONS,
  reason: { type: 'string' },
  actor: { type: 'string' },
} as const;

export const rollbackCommand: Command = {
  name: 'rollback',
  help: `Usage: llm-policy rollback --reason <text> [--target local|remote] [options]

With a canary out, drops it (all traffic back on the stable); else moves the stable back to the
previous stable version. The pointer change is signed and recorded with the reason.

Options:
      --reason <text>         why (required; recorded in the rollout history)
      --actor <name>          who did it (default: the user name)
${TARGET_HELP}
  -h, --help                  show this help
`,
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('rollback', argv, OPTIONS);
    expectPositionals('rollback', positionals, 0, 0, '');
    requireOption('rollback', values.reason, '--reason');
    return runRolloutCommand('rollback', argv, OPTIONS, io);
  },
};
