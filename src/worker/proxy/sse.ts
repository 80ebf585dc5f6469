// Server-sent events: parsing upstream bytes into events (eventsource-parser) and writing events
// back out. Events are forwarded whole: a client's SSE parser cannot use half an event anyway,
// and whole events let the proxy drop or hold one without cutting another in two.
import { createParser } from 'eventsource-parser';

export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

/** One event as wire text: `event:` and `id:` lines when set, one `data:` line per data line. */
export function encodeEvent(e: SseEvent): string {
  let out = '';
  if (e.event !== undefined) out += `event: ${e.event}\n`;
  if (e.id !== undefined) out += `id: ${e.id}\n`;
  for (const line of e.data.split('\n')) out += `data: ${line}\n`;
  return `${out}\n`;
}

// An upstream that never ends an event must not grow our memory without bound.
const MAX_EVENT_BYTES = 4 * 1024 * 1024;

/** Feeds decoded text in, collects the complete events out. */
export class SseReader {
  private readonly decoder = new TextDecoder();
  private pending: SseEvent[] = [];
  private readonly parser = createParser({
    onEvent: (e) => {
      this.pending.push({ event: e.event, data: e.data, id: e.id });
    },
    maxBufferSize: MAX_EVENT_BYTES,
  });

  /** The events completed by this chunk of bytes. */
  push(bytes: Uint8Array): SseEvent[] {
    this.parser.feed(this.decoder.decode(bytes, { stream: true }));
    return this.take();
  }

  /** At the end of the stream: an event left without its closing blank line still counts. */
  end(): SseEvent[] {
    const rest = this.decoder.decode();
    if (rest) this.parser.feed(rest);
    this.parser.reset({ consume: true });
    return this.take();
  }

  private take(): SseEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }
}
