// Relays an upstream SSE stream to the client through a TransformStream, event by event as they
// complete (no buffering beyond what the OutputGuard holds back for response rules). The relay
// runs under waitUntil, so it finishes (and the budget is settled) however the stream ends:
//   complete        upstream finished; the last events go out after a final check
//   stopped         a response rule denied or the budget ran out: held text is dropped and the
//                   stream ends with the endpoint's error event
//   upstream_error  the upstream connection broke: error event `upstream_error`
//   timeout         no chunk within UPSTREAM_TIMEOUT_MS: error event `upstream_timeout`
//   client_gone     the client went away: the upstream call is aborted
import type { StreamReader, Usage } from './providers/types';
import type { OutputGuard, Stop } from './output-guard';
import { encodeEvent, SseReader, type SseEvent } from './sse';
import type { UpstreamDeadline } from './upstream';

export type StreamEnding = 'complete' | 'stopped' | 'upstream_error' | 'timeout' | 'client_gone';

export interface StreamResult {
  how: StreamEnding;
  stop?: Stop;
  /** Usage the stream reported (fields it did not report are absent). */
  usage: Partial<Usage>;
  /** The reported usage is the final tally. */
  usageFinal: boolean;
  /** All output text received from upstream. */
  text: string;
  /** The provider sent an error event of its own. */
  providerError: boolean;
}

export interface RelayOptions {
  upstream: ReadableStream<Uint8Array>;
  reader: StreamReader;
  guard: OutputGuard;
  deadline: UpstreamDeadline;
  waitUntil: (p: Promise<unknown>) => void;
  onEnd: (result: StreamResult) => Promise<void>;
}

class ClientGone extends Error {}

const encoder = new TextEncoder();

// workerd's native byte pipe: a JS TransformStream would run stream machinery in JS per event.
export function relayStream(opts: RelayOptions): ReadableStream<Uint8Array> {
  const { readable, writable } = new IdentityTransformStream();
  opts.waitUntil(pump(opts, writable.getWriter()));
  return readable;
}

async function pump(opts: RelayOptions, writer: WritableStreamDefaultWriter<ArrayBuffer | ArrayBufferView>): Promise<void> {
  const { reader, guard, deadline } = opts;
  const upstream = opts.upstream.getReader();
  const sse = new SseReader();
  const result: StreamResult = { how: 'complete', usage: {}, usageFinal: false, text: '', providerError: false };
  // The client cancelling our readable errors the writable: stop waiting on upstream at once.
  writer.closed.catch(() => deadline.abort('client'));

  const accept = (events: SseEvent[]): void => {
    for (const event of events) {
      const info = reader.read(event);
      if (info.usage) Object.assign(result.usage, info.usage);
      if (info.usageFinal) result.usageFinal = true;
      if (info.error) result.providerError = true;
      if (!info.hide) guard.add(event, info.text, info.withText, info.tools);
    }
  };
  const send = async (text: string): Promise<void> => {
    if (!text) return;
    try {
      await writer.write(encoder.encode(text));
    } catch {
      throw new ClientGone();
    }
  };

  try {
    for (;;) {
      const { done, value } = await upstream.read();
      if (done) break;
      deadline.restart();
      accept(sse.push(value));
      const step = guard.drain();
      await send(step.out);
      if (step.stop) {
        result.how = 'stopped';
        result.stop = step.stop;
        break;
      }
    }
    if (result.how === 'complete') {
      accept(sse.end());
      const step = guard.finish();
      await send(step.out);
      if (step.stop) {
        result.how = 'stopped';
        result.stop = step.stop;
      }
    }
  } catch (e) {
    result.how = e instanceof ClientGone || deadline.cause === 'client' ? 'client_gone' : deadline.cause === 'timeout' ? 'timeout' : 'upstream_error';
  }
  deadline.stop();
  result.text = guard.outputText;

  if (result.how !== 'complete') {
    // Whatever ended it, nothing more is read from upstream.
    deadline.abort(result.how === 'client_gone' ? 'client' : 'proxy');
    upstream.cancel().catch(() => undefined);
  }
  if (result.how === 'client_gone') {
    writer.abort().catch(() => undefined);
  } else {
    const closing = closingEvent(result, reader);
    try {
      if (closing) await writer.write(encoder.encode(encodeEvent(closing)));
      await writer.close();
    } catch {
      // The client left during the last write; the ending stays what it was.
    }
  }
  await opts.onEnd(result);
}

function closingEvent(result: StreamResult, reader: StreamReader): SseEvent | undefined {
  if (result.how === 'stopped' && result.stop) return reader.errorEvent(result.stop.code, result.stop.message);
  if (result.how === 'timeout') return reader.errorEvent('upstream_timeout', 'the upstream model stopped sending within the time limit');
  if (result.how === 'upstream_error') return reader.errorEvent('upstream_error', 'the upstream stream broke off');
  return undefined;
}
