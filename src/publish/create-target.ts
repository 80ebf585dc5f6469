// `--target local|remote` to a KvTarget. Remote goes through `wrangler kv key --remote --env E`:
// the namespace id of the README's deploy flow is under [env.production], so that is the default.
import { PolicyError } from '../policy/errors';
import type { KvTarget } from './kv-target';
import { LocalKvTarget } from './local-kv-target';
import { WranglerKvTarget, type CommandRunner } from './wrangler-kv-target';

export type TargetKind = 'local' | 'remote';

/** The wrangler environment `--target remote` uses unless `--env` says otherwise ('' = top level). */
export const DEFAULT_REMOTE_ENV = 'production';

export interface TargetOptions {
  configPath?: string;
  persistTo?: string;
  binding?: string;
  /** Remote only: the wrangler environment (default production; '' for the top-level config). */
  env?: string;
  /** Remote only: runs the wrangler commands (tests record them instead). */
  run?: CommandRunner;
}

export function createTarget(kind: string, opts: TargetOptions = {}): KvTarget {
  const binding = opts.binding ?? 'BUNDLES';
  if (kind === 'local') {
    if (opts.env !== undefined) throw new PolicyError('input_error', '--env goes with --target remote: the local target is the KV that npm run dev serves');
    return new LocalKvTarget({ configPath: opts.configPath, persistTo: opts.persistTo, binding });
  }
  if (kind === 'remote') return new WranglerKvTarget({ binding, location: { remote: true }, configPath: opts.configPath, env: opts.env ?? DEFAULT_REMOTE_ENV }, opts.run);
  throw new PolicyError('input_error', `--target must be local or remote, got ${JSON.stringify(kind)}`);
}
