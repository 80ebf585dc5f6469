// The local KV that `wrangler dev` serves. wrangler dev keeps local state under
// `<project>/.wrangler/state/v3` (or `<--persist-to>/v3`); getPlatformProxy opens that same
// storage when given `persist: { path: <dir>/v3 }` (it does not add `v3` itself, wrangler dev does).
//
// getPlatformProxy is handed a throwaway config holding only the KV binding, copied from the
// project's wrangler config (same worker name, binding and namespace id, so the same storage):
// the full config would also start the Durable Object bindings, whose classes live in the worker
// script, and workerd prints warnings about each of them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PolicyError } from '../policy/errors';
import type { KvTarget } from './kv-target';

export interface LocalKvOptions {
  /** The project's wrangler config. Default `wrangler.toml` in the working directory. */
  configPath?: string;
  /** Same meaning as `wrangler dev --persist-to`. Default `.wrangler/state` beside the config. */
  persistTo?: string;
  /** Default `BUNDLES`. */
  binding?: string;
}

interface KvBinding {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  list(opts: { prefix: string; cursor?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>;
}

interface Session {
  kv: KvBinding;
  close(): Promise<void>;
}

export function defaultPersistTo(configPath: string): string {
  return join(dirname(resolve(configPath)), '.wrangler', 'state');
}

export class LocalKvTarget implements KvTarget {
  readonly description: string;
  readonly persistTo: string;
  private readonly configPath: string;
  private readonly binding: string;
  private session?: Promise<Session>;

  constructor(opts: LocalKvOptions = {}) {
    this.configPath = resolve(opts.configPath ?? 'wrangler.toml');
    this.persistTo = resolve(opts.persistTo ?? defaultPersistTo(this.configPath));
    this.binding = opts.binding ?? 'BUNDLES';
    this.description = `local KV ${this.binding} (${this.persistTo})`;
  }

  async get(key: string): Promise<string | null> {
    return (await this.open()).kv.get(key);
  }

  async put(key: string, value: string): Promise<void> {
    await (await this.open()).kv.put(key, value);
  }

  async list(prefix: string): Promise<string[]> {
    const { kv } = await this.open();
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await kv.list({ prefix, cursor });
      names.push(...page.keys.map((k) => k.name));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return names;
  }

  async close(): Promise<void> {
    const pending = this.session;
    this.session = undefined;
    if (pending) await (await pending).close();
  }

  private open(): Promise<Session> {
    if (!this.session) {
      this.session = startSession(this.configPath, this.persistTo, this.binding);
      this.session.catch(() => (this.session = undefined));
    }
    return this.session;
  }
}

async function startSession(configPath: string, persistTo: string, binding: string): Promise<Session> {
  const signalListeners = snapshotSignalListeners();
  // Imported on first use: wrangler is large, and only the local target needs it.
  const { getPlatformProxy, unstable_readConfig } = await import('wrangler');
  const config = unstable_readConfig({ config: configPath }, { hideWarnings: true });
  const namespaces: { binding: string }[] = config.kv_namespaces ?? [];
  const namespace = namespaces.find((ns) => ns.binding === binding);
  if (!namespace) throw new PolicyError('input_error', `${configPath} has no kv_namespaces entry with binding ${binding}`, { file: configPath });

  const scratch = await mkdtemp(join(tmpdir(), 'llm-policy-kv-'));
  const kvOnlyConfig = join(scratch, 'wrangler.json');
  await writeFile(kvOnlyConfig, JSON.stringify({ name: config.name, compatibility_date: config.compatibility_date, kv_namespaces: [namespace] }));
  try {
    const proxy = await getPlatformProxy<Record<string, KvBinding>>({
      configPath: kvOnlyConfig,
      persist: { path: join(persistTo, 'v3') },
      remoteBindings: false,
      envFiles: [],
    });
    return {
      kv: proxy.env[binding],
      close: async () => {
        await proxy.dispose();
        await rm(scratch, { recursive: true, force: true });
        removeAddedSignalListeners(signalListeners);
      },
    };
  } catch (e) {
    await rm(scratch, { recursive: true, force: true });
    throw e;
  }
}

// Loading wrangler as a library installs process-wide SIGINT/SIGTERM handlers that exit the
// process at once (wrangler's CLI cleanup). Once the proxy is disposed they have nothing to
// clean, and they would stop the caller (npm run dev) from handling Ctrl-C itself: drop them.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type SignalListener = (...args: unknown[]) => void;

function snapshotSignalListeners(): Map<string, Set<SignalListener>> {
  return new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal) as SignalListener[])]));
}

function removeAddedSignalListeners(before: Map<string, Set<SignalListener>>): void {
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal) as SignalListener[]) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
}
