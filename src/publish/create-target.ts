// `--target local|remote` to a KvTarget. Remote goes through `wrangler kv key --remote`.
import { PolicyError } from '../policy/errors';
import type { KvTarget } from './kv-target';
import { LocalKvTarget } from './local-kv-target';
import { WranglerKvTarget } from './wrangler-kv-target';

export type TargetKind = 'local' | 'remote';

export function createTarget(kind: string, opts: { configPath?: string; persistTo?: string; binding?: string } = {}): KvTarget {
  const binding = opts.binding ?? 'BUNDLES';
  if (kind === 'local') return new LocalKvTarget({ configPath: opts.configPath, persistTo: opts.persistTo, binding });
  if (kind === 'remote') return new WranglerKvTarget({ binding, location: { remote: true }, configPath: opts.configPath });
  throw new PolicyError('input_error', `--target must be local or remote, got ${JSON.stringify(kind)}`);
}
