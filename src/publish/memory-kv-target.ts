// An in-memory KvTarget for tests: a Map, with a log of writes so tests can see what moved.
import type { KvTarget } from './kv-target';

export class MemoryKvTarget implements KvTarget {
  readonly description = 'in-memory KV';
  readonly values = new Map<string, string>();
  readonly writes: string[] = [];

  constructor(initial: Record<string, string> = {}) {
    for (const [key, value] of Object.entries(initial)) this.values.set(key, value);
  }

  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }

  async put(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.writes.push(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.values.keys()].filter((key) => key.startsWith(prefix));
  }
}
