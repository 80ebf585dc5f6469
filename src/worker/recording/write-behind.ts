// A per-isolate write-behind buffer: requests push what they want written and return; the writes
// leave in batches, off the request's path.
//
// Guarantee: an item is sent within ~delayMs of the request that pushed it, by a flush that some
// request handed to ctx.waitUntil (the runtime keeps the isolate alive until that promise
// settles, so an isolate going idle right after the answer loses nothing):
// - the first push into a buffer with no flush pending schedules one, `waitUntil(after delayMs
//   -> flush)`, under the pushing request's waitUntil; later pushes in that window only push.
//   Every non-empty buffer therefore has a pending flush.
// - a push that fills the buffer to `cap` flushes it at once under its own waitUntil, so a burst
//   cannot grow the isolate's memory without bound.
// A failed write is logged and retried once (retryOnce); a flush never rejects and never throws
// into a request. What is lost: items whose write failed twice, and items of an isolate the
// runtime kills outright (crash, eviction for memory) before its waitUntil work finishes.

export type WaitUntil = (p: Promise<unknown>) => void;

export interface WriteBehindOptions<T> {
  /** For log lines. */
  name: string;
  /** How long items wait for company before they are sent. */
  delayMs: number;
  /** Flush at once when this many items are waiting. */
  cap: number;
  /** Sends one batch. Should not reject (use retryOnce per write); a rejection is only logged. */
  send: (items: T[]) => Promise<void>;
}

export const FLUSH_DELAY_MS = 50;
export const BUFFER_CAP = 200;

export class WriteBehind<T> {
  private items: T[] = [];
  private scheduled = false;

  constructor(private readonly opts: WriteBehindOptions<T>) {}

  /** Items waiting for a flush. */
  get size(): number {
    return this.items.length;
  }

  push(item: T, waitUntil: WaitUntil): void {
    this.items.push(item);
    if (this.items.length >= this.opts.cap) {
      waitUntil(this.flush());
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    waitUntil(
      sleep(this.opts.delayMs).then(() => {
        this.scheduled = false;
        return this.flush();
      }),
    );
  }

  /** Sends everything waiting now. Never rejects. */
  flush(): Promise<void> {
    const items = this.items;
    if (items.length === 0) return Promise.resolve();
    this.items = [];
    return this.opts.send(items).catch((error: unknown) => {
      console.error(JSON.stringify({ msg: `${this.opts.name} flush failed`, items: items.length, error: String(error) }));
    });
  }
}

/** One buffer per key (a Durable Object namespace; a deployed isolate has one), made on first use. */
export function bufferPerKey<K extends object, T>(make: (key: K) => WriteBehind<T>): (key: K) => WriteBehind<T> {
  const buffers = new WeakMap<K, WriteBehind<T>>();
  return (key) => {
    let buffer = buffers.get(key);
    if (!buffer) {
      buffer = make(key);
      buffers.set(key, buffer);
    }
    return buffer;
  };
}

/** Runs `write`, once more if it rejects; logs and resolves false if the second try fails too. */
export async function retryOnce(what: Record<string, unknown>, write: () => Promise<unknown>): Promise<boolean> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await write();
      return true;
    } catch (error) {
      if (attempt === 2) console.error(JSON.stringify({ ...what, attempts: 2, error: String(error) }));
    }
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
