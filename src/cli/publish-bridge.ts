// publish, promote, rollback and status belong to src/publish (its CLI is scripts/publish.ts).
// Here each gets its own flags checked, so a flag that does not belong to the command is a
// one-line error, then the arguments go to src/publish's CLI unchanged: one implementation of the
// key defaults, the targets and the messages.
import { runPublishCli } from '../publish/cli';
import { parseCommandArgs } from './args';
import type { Io } from './io';

/** Flags every rollout command takes. */
export const TARGET_OPTIONS = {
  target: { type: 'string' },
  key: { type: 'string' },
  'persist-to': { type: 'string' },
  config: { type: 'string' },
  env: { type: 'string' },
} as const;

export const TARGET_HELP = `      --target local|remote   local (default): the KV that npm run dev serves (.wrangler/state);
                              remote: Cloudflare, through wrangler kv key ... --remote --env E
      --env <name>            remote: the wrangler environment (default production, as in the
                              README's Deploying; --env '' for the top-level namespace)
      --key <file>            Ed25519 private key file. Local default: .dev-keys/private.key
                              (created if absent); remote needs --key
      --persist-to <dir>      local state folder, as wrangler dev --persist-to (default .wrangler/state)
      --config <file>         wrangler config (default wrangler.toml)`;

/** Where promote and status read the rollout gates: the worker's GET /v1/rollout. */
export const WORKER_OPTIONS = {
  url: { type: 'string' },
  'admin-token': { type: 'string' },
} as const;

export const WORKER_HELP = `      --url <url>             the worker with the gates (default $LLM_POLICY_URL, else
                              http://127.0.0.1:8787 for --target local)
      --admin-token <token>   its admin token (default $LLM_POLICY_ADMIN_TOKEN, else the local
                              dev token on a loopback URL)`;

type Options = Parameters<typeof parseCommandArgs>[2];

/**
 * Checks `argv` against the command's flags, then runs src/publish's CLI as `<name> ...argv`
 * (naming the command first also keeps a policy folder called `status` a folder).
 */
export async function runRolloutCommand(name: string, argv: string[], options: Options, io: Io): Promise<number> {
  parseCommandArgs(name, argv, options);
  return runPublishCli([name, ...argv], {
    out: (line) => io.out(`${line}\n`),
    err: (line) => io.err(`${line}\n`),
  });
}
