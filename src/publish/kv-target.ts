// Where publishing reads and writes the BUNDLES namespace. Three implementations:
// memory (tests), local (the storage `wrangler dev` serves) and wrangler-cli (`wrangler kv key`,
// used for --target remote). Values are always text: JSON documents.

export interface KvTarget {
  /** A short name for messages, e.g. `local KV (.wrangler/state)`. */
  readonly description: string;
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  /** Every key name that starts with `prefix`, in any order. */
  list(prefix: string): Promise<string[]>;
  /** Releases what the target holds open (the local target's workerd process). */
  close?(): Promise<void>;
}

/** The KV layout (interfaces.md "KV layout"). */
export const POINTER_KEY = 'pointer';
export const HISTORY_KEY = 'history';
export const BUNDLE_KEY_PREFIX = 'bundle:';
export const CLIENT_KEY_PREFIX = 'key:';

export function bundleKey(version: string): string {
  return `${BUNDLE_KEY_PREFIX}${version}`;
}

/** Runs `work` and closes the target afterwards, whatever happens. */
export async function withTarget<T>(target: KvTarget, work: (target: KvTarget) => Promise<T>): Promise<T> {
  try {
    return await work(target);
  } finally {
    await target.close?.();
  }
}
