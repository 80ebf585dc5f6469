// llm-policy status: the rollout pointer, whether it verifies, versions in KV, recent history.
import { expectPositionals, parseCommandArgs } from '../args';
import type { Command } from '../command';
import type { Io } from '../io';
import { runRolloutCommand, TARGET_HELP, TARGET_OPTIONS, WORKER_HELP, WORKER_OPTIONS } from '../publish-bridge';

const OPTIONS = { ...TARGET_OPTIONS, ...WORKER_OPTIONS, tenant: { type: 'string' } } as const;

export const statusCommand: Command = {
  name: 'status',
  help: `Usage: llm-policy status [--tenant T] [--target local|remote] [options]

Shows the stable and canary versions, whether the pointer's signature verifies (with the public
half of --key, or locally the dev key), the bundle versions in KV, the kill switch, the canary's
gate table and each shadow rule's hits: how often it would have fired and on which
teams and users (from the worker, when it answers), and the latest history.

Options:
      --tenant <key>          which canary bucket (0-99) the tenant hashes to and which version
                              it gets; the key is a request's team.id, else user.id, else the
                              client key id (the dev key's tenant is dev-team)
${WORKER_HELP}
${TARGET_HELP}
  -h, --help                  show this help
`,
  async run(argv: string[], io: Io): Promise<number> {
    expectPositionals('status', parseCommandArgs('status', argv, OPTIONS).positionals, 0, 0, '');
    return runRolloutCommand('status', argv, OPTIONS, io);
  },
};
