// Forwarding one MCP message to its server (streamable HTTP transport) and bringing the answer
// back, with the answer to our request rewritten by `onAnswer` (the tools/list filter, the
// tools/call result check). The server may answer a POST with JSON or with an SSE stream whose
// events carry JSON-RPC messages (notifications, server requests, then the response); only the
// response to our request id is rewritten, everything else passes event by event.
//
// Headers: an allowlist goes up (the caller's client key never does); the session id and the
// content type come back.
import { ApiError } from '../http/api-error';
import { log } from '../log';
import { encodeEvent, SseReader, type SseEvent } from '../proxy/sse';
import { isResponseTo, rpcError, type JsonRpcId, type JsonRpcResponse } from './jsonrpc';

const UP_HEADERS = ['accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id'];
const DOWN_HEADERS = ['content-type', 'mcp-session-id', 'cache-control'];
const DEFAULT_ACCEPT = 'application/json, text/event-stream';
const INTERNAL_ERROR = -32603;

export interface Forwarding {
  url: string;
  server: string;
  incoming: Request;
  requestId: string;
  /** The body to send (POST), or none (DELETE). */
  message?: unknown;
  /** The request id whose answer `onAnswer` rewrites. */
  answerId?: JsonRpcId;
  onAnswer?: (answer: JsonRpcResponse) => Promise<JsonRpcResponse>;
  /** The stream ended without an answer to `answerId` (the server went away). */
  onNoAnswer?: () => void;
  extraHeaders?: Record<string, string>;
}

export async function forwardMcp(f: Forwarding): Promise<Response> {
  const headers = new Headers({ 'x-request-id': f.requestId });
  for (const name of UP_HEADERS) {
    const value = f.incoming.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (f.message !== undefined) {
    headers.set('content-type', 'application/json');
    if (!headers.has('accept')) headers.set('accept', DEFAULT_ACCEPT);
  }
  let upstream: Response;
  try {
    upstream = await fetch(f.url, {
      method: f.message === undefined ? f.incoming.method : 'POST',
      headers,
      body: f.message === undefined ? undefined : JSON.stringify(f.message),
      signal: f.incoming.signal,
    });
  } catch {
    throw new ApiError(502, 'upstream_unreachable', `MCP server ${f.server} is unreachable`);
  }
  const down = new Headers(f.extraHeaders);
  for (const name of DOWN_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) down.set(name, value);
  }
  const type = upstream.headers.get('content-type') ?? '';
  const rewrite = f.onAnswer !== undefined && f.answerId !== undefined && upstream.ok && upstream.body !== null;
  if (rewrite && type.includes('application/json')) return jsonAnswer(f, upstream, down);
  if (rewrite && type.includes('text/event-stream')) return new Response(upstream.body!.pipeThrough(sseRewriter(f)), { status: upstream.status, headers: down });
  if (rewrite) f.onNoAnswer?.();
  return new Response(upstream.body, { status: upstream.status, headers: down });
}

async function jsonAnswer(f: Forwarding, upstream: Response, headers: Headers): Promise<Response> {
  const text = await upstream.text();
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new ApiError(502, 'upstream_error', `MCP server ${f.server} answered JSON that does not parse`);
  }
  headers.set('content-type', 'application/json');
  if (!isResponseTo(message, f.answerId!)) {
    f.onNoAnswer?.();
    return new Response(text, { status: upstream.status, headers });
  }
  return new Response(JSON.stringify(await answer(f, message)), { status: upstream.status, headers });
}

function sseRewriter(f: Forwarding): TransformStream<Uint8Array, Uint8Array> {
  const reader = new SseReader();
  const encoder = new TextEncoder();
  let answered = false;
  const rewrite = async (e: SseEvent): Promise<SseEvent> => {
    let message: unknown;
    try {
      message = JSON.parse(e.data);
    } catch {
      return e;
    }
    if (answered || !isResponseTo(message, f.answerId!)) return e;
    answered = true;
    return { ...e, data: JSON.stringify(await answer(f, message)) };
  };
  const emit = async (events: SseEvent[], out: TransformStreamDefaultController<Uint8Array>) => {
    for (const e of events) out.enqueue(encoder.encode(encodeEvent(await rewrite(e))));
  };
  return new TransformStream({
    transform: (chunk, out) => emit(reader.push(chunk), out),
    flush: async (out) => {
      await emit(reader.end(), out);
      if (!answered) f.onNoAnswer?.();
    },
  });
}

/** The rewritten answer; a rewrite that fails answers an error rather than the unchecked original. */
async function answer(f: Forwarding, message: JsonRpcResponse): Promise<JsonRpcResponse> {
  try {
    return await f.onAnswer!(message);
  } catch (e) {
    log('error', 'mcp_answer_check_failed', { server: f.server, requestId: f.requestId, error: String(e) });
    return rpcError(message.id, INTERNAL_ERROR, 'the policy proxy could not check this answer', { code: 'internal_error', requestId: f.requestId });
  }
}
