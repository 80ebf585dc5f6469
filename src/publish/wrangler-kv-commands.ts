// The `wrangler kv key ...` command lines for one namespace binding. Kept apart from running
// them so the exact commands can be tested without Cloudflare access.

export type WranglerKvLocation = { remote: true } | { remote: false; persistTo?: string };

export interface WranglerKvScope {
  binding: string;
  location: WranglerKvLocation;
  /** `--config`; default: wrangler finds the config from the working directory. */
  configPath?: string;
  /** `--env`: the wrangler environment whose namespace id is used (e.g. `[env.production]`). */
  env?: string;
}

export interface Command {
  command: string;
  args: string[];
}

export function kvGetCommand(scope: WranglerKvScope, key: string): Command {
  return wrangler(['kv', 'key', 'get', key, '--text', ...scopeFlags(scope)]);
}

/** The value goes through a file (`--path`): bundles outgrow the 128 KiB limit on one argument. */
export function kvPutCommand(scope: WranglerKvScope, key: string, valueFile: string): Command {
  return wrangler(['kv', 'key', 'put', key, '--path', valueFile, ...scopeFlags(scope)]);
}

export function kvListCommand(scope: WranglerKvScope, prefix: string): Command {
  return wrangler(['kv', 'key', 'list', '--prefix', prefix, ...scopeFlags(scope)]);
}

/** Shows a command the way a user would type it, for messages. */
export function formatCommand({ command, args }: Command): string {
  return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function wrangler(args: string[]): Command {
  return { command: 'npx', args: ['wrangler', ...args] };
}

function scopeFlags({ binding, location, configPath, env }: WranglerKvScope): string[] {
  const flags = ['--binding', binding];
  if (location.remote) flags.push('--remote');
  else {
    flags.push('--local');
    if (location.persistTo) flags.push('--persist-to', location.persistTo);
  }
  if (configPath) flags.push('--config', configPath);
  if (env) flags.push('--env', env);
  return flags;
}
