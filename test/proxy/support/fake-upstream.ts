// A stand-in for the LLM providers, on 127.0.0.1, speaking the real wire formats: OpenAI chat
// completions, Responses and embeddings, Anthropic messages, each as JSON and as SSE. It records
// every request it receives (GET /__received?trace=ID answers them), so tests can see exactly
// what the proxy forwarded. Tests steer it with request headers, which the proxy forwards:
//   x-fake-trace            groups the recorded requests of one test
//   x-fake-reply            reply text (URI-encoded); default "Hello from the fake upstream."
//   x-fake-repeat           the reply repeated N times (long answers)
//   x-fake-input-tokens     prompt tokens reported in usage (default 12)
//   x-fake-output-tokens    output tokens reported in usage (default: words of the reply)
//   x-fake-status           answer with this HTTP status and the provider's error body
//   x-fake-delay-ms         wait before answering
//   x-fake-chunk-delay-ms   wait between stream events
//   x-fake-body-stall-ms    JSON answers: send the first half of the body, wait this long, send the rest
//   x-fake-error-after      stream N text events, then the provider's error event, then close
//   x-fake-drop-after       stream N text events, then cut the connection
//   x-fake-no-usage         stream without any usage, whatever the request asked
//   x-fake-piece-words      words per streamed text event (default 1)
//   x-fake-tool-calls       answer with these tool calls (URI-encoded JSON list of {name, arguments},
//                           arguments an object or a raw string), after the reply text if one is set
//                           with x-fake-reply; streamed with the arguments in pieces of
//   x-fake-args-piece       characters (default 7)
//   x-fake-refusal          answer (JSON, chat and Responses) with this refusal instead of text
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  query: string;
  headers: Record<string, string>;
  body: any;
  trace?: string;
  /** The caller (the proxy) closed the connection before the answer was complete. */
  closedEarly: boolean;
}

export interface FakeUpstream {
  port: number;
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

const DEFAULT_REPLY = 'Hello from the fake upstream.';

export interface FakeOptions {
  /** Keep what was received for /__received (default true; benchmarks turn it off). */
  record?: boolean;
  port?: number;
}

export async function startFakeUpstream(opts: FakeOptions = {}): Promise<FakeUpstream> {
  const received: ReceivedRequest[] = [];
  const keep = opts.record ?? true;
  const server = createServer((req, res) => {
    handle(req, res, keep ? received : undefined).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(e), type: 'fake_failure', param: null, code: null } }));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, url: `http://127.0.0.1:${port}`, received, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function handle(req: IncomingMessage, res: ServerResponse, received: ReceivedRequest[] | undefined): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  if (req.method === 'GET' && url.pathname === '/__received') {
    const trace = url.searchParams.get('trace');
    return json(res, 200, (received ?? []).filter((r) => trace === null || r.trace === trace));
  }
  const text = await readBody(req);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v ?? '']));
  const record: ReceivedRequest = { path: url.pathname, query: url.search, headers, body: safeJson(text), trace: headers['x-fake-trace'], closedEarly: false };
  received?.push(record);
  res.on('close', () => {
    if (!res.writableFinished) record.closedEarly = true;
  });

  const steer = steering(headers);
  if (steer.delayMs > 0) await sleep(steer.delayMs);
  if (res.destroyed) return;
  const provider = url.pathname === '/v1/messages' ? 'anthropic' : 'openai';
  if (steer.status !== undefined) return json(res, steer.status, errorBody(provider, steer.status));
  const body = record.body ?? {};
  if (!hasReply(headers, steer)) steer.reply = '';
  switch (url.pathname) {
    case '/v1/chat/completions':
      return body.stream ? chatStream(res, body, steer) : json(res, 200, chatAnswer(body, steer), steer.bodyStallMs);
    case '/v1/responses':
      return body.stream ? responsesStream(res, body, steer) : json(res, 200, responsesAnswer(body, steer));
    case '/v1/embeddings':
      return json(res, 200, embeddingsAnswer(body, steer));
    case '/v1/messages':
      return body.stream ? messagesStream(res, body, steer) : json(res, 200, messagesAnswer(body, steer));
    default:
      return json(res, 404, errorBody(provider, 404));
  }
}

interface Steering {
  reply: string;
  inputTokens: number;
  outputTokens: number;
  status?: number;
  delayMs: number;
  chunkDelayMs: number;
  bodyStallMs: number;
  errorAfter?: number;
  dropAfter?: number;
  noUsage: boolean;
  pieceWords: number;
  toolCalls: FakeToolCall[];
  argsPiece: number;
  refusal?: string;
}

interface FakeToolCall {
  id: string;
  name: string;
  /** The arguments as the model writes them (JSON text, or anything else). */
  text: string;
}

function steering(h: Record<string, string>): Steering {
  const base = h['x-fake-reply'] ? decodeURIComponent(h['x-fake-reply']) : DEFAULT_REPLY;
  const reply = Array.from({ length: num(h['x-fake-repeat']) ?? 1 }, () => base).join(' ');
  return {
    reply,
    inputTokens: num(h['x-fake-input-tokens']) ?? 12,
    outputTokens: num(h['x-fake-output-tokens']) ?? reply.split(/\s+/).filter(Boolean).length,
    status: num(h['x-fake-status']),
    delayMs: num(h['x-fake-delay-ms']) ?? 0,
    chunkDelayMs: num(h['x-fake-chunk-delay-ms']) ?? 0,
    bodyStallMs: num(h['x-fake-body-stall-ms']) ?? 0,
    errorAfter: num(h['x-fake-error-after']),
    dropAfter: num(h['x-fake-drop-after']),
    noUsage: h['x-fake-no-usage'] === 'true',
    pieceWords: num(h['x-fake-piece-words']) ?? 1,
    toolCalls: toolCallsOf(h['x-fake-tool-calls']),
    argsPiece: num(h['x-fake-args-piece']) ?? 7,
    refusal: h['x-fake-refusal'] ? decodeURIComponent(h['x-fake-refusal']) : undefined,
  };
}

function toolCallsOf(header: string | undefined): FakeToolCall[] {
  if (!header) return [];
  const list = JSON.parse(decodeURIComponent(header)) as Array<{ name: string; arguments: unknown }>;
  return list.map((c, i) => ({ id: `call_fake_${i}`, name: c.name, text: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) }));
}

/** Tool-call answers carry text only when the test set one. */
function hasReply(h: Record<string, string>, s: Steering): boolean {
  return s.toolCalls.length === 0 || h['x-fake-reply'] !== undefined;
}

function argPieces(s: Steering, text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += s.argsPiece) out.push(text.slice(i, i + s.argsPiece));
  return out.length ? out : [''];
}

// ---------------------------------------------------------------- OpenAI chat completions

function chatAnswer(body: any, s: Steering): unknown {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: now(),
    model: body.model,
    choices: [{ index: 0, message: chatMessage(s), logprobs: null, finish_reason: s.toolCalls.length ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: s.inputTokens, completion_tokens: s.outputTokens, total_tokens: s.inputTokens + s.outputTokens },
  };
}

function chatMessage(s: Steering): Record<string, unknown> {
  if (s.refusal !== undefined) return { role: 'assistant', content: null, refusal: s.refusal };
  const message: Record<string, unknown> = { role: 'assistant', content: s.reply === '' && s.toolCalls.length ? null : s.reply, refusal: null };
  if (s.toolCalls.length) message.tool_calls = s.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.text } }));
  return message;
}

async function chatStream(res: ServerResponse, body: any, s: Steering): Promise<void> {
  const withUsage = body.stream_options?.include_usage === true && !s.noUsage;
  const chunk = (choices: unknown[], usage?: unknown) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: now(), model: body.model, choices, ...(withUsage ? { usage: usage ?? null } : {}) })}\n\n`;
  const events = [chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])];
  if (s.reply) for (const piece of pieces(s)) events.push(chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]));
  s.toolCalls.forEach((c, index) => {
    events.push(chunk([{ index: 0, delta: { tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }, finish_reason: null }]));
    for (const piece of argPieces(s, c.text)) events.push(chunk([{ index: 0, delta: { tool_calls: [{ index, function: { arguments: piece } }] }, finish_reason: null }]));
  });
  events.push(chunk([{ index: 0, delta: {}, finish_reason: s.toolCalls.length ? 'tool_calls' : 'stop' }]));
  if (withUsage) events.push(chunk([], { prompt_tokens: s.inputTokens, completion_tokens: s.outputTokens, total_tokens: s.inputTokens + s.outputTokens }));
  events.push('data: [DONE]\n\n');
  const error = `data: ${JSON.stringify(errorBody('openai', 500))}\n\n`;
  await sendEvents(res, events, s, 1, error);
}

// ---------------------------------------------------------------- OpenAI Responses

function responsesAnswer(body: any, s: Steering): unknown {
  return {
    id: 'resp_fake',
    object: 'response',
    created_at: now(),
    status: 'completed',
    model: body.model,
    output: s.refusal !== undefined ? [{ type: 'message', id: 'msg_fake', status: 'completed', role: 'assistant', content: [{ type: 'refusal', refusal: s.refusal }] }] : [
      ...(s.reply ? [{ type: 'message', id: 'msg_fake', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: s.reply, annotations: [] }] }] : []),
      ...s.toolCalls.map((c, i) => ({ type: 'function_call', id: `fc_fake_${i}`, call_id: c.id, name: c.name, arguments: c.text, status: 'completed' })),
    ],
    usage: { input_tokens: s.inputTokens, output_tokens: s.outputTokens, total_tokens: s.inputTokens + s.outputTokens },
  };
}

async function responsesStream(res: ServerResponse, body: any, s: Steering): Promise<void> {
  let seq = 0;
  const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
  const base = { id: 'resp_fake', object: 'response', created_at: now(), model: body.model, output: [] };
  const events = [event('response.created', { response: { ...base, status: 'in_progress' } }), event('response.in_progress', { response: { ...base, status: 'in_progress' } })];
  if (s.reply) {
    events.push(event('response.output_item.added', { output_index: 0, item: { type: 'message', id: 'msg_fake', status: 'in_progress', role: 'assistant', content: [] } }));
    events.push(event('response.content_part.added', { item_id: 'msg_fake', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }));
    for (const piece of pieces(s)) events.push(event('response.output_text.delta', { item_id: 'msg_fake', output_index: 0, content_index: 0, delta: piece }));
    events.push(event('response.output_text.done', { item_id: 'msg_fake', output_index: 0, content_index: 0, text: s.reply }));
  }
  const first = s.reply ? 1 : 0;
  s.toolCalls.forEach((c, i) => {
    const output_index = first + i;
    const item = { type: 'function_call', id: `fc_fake_${i}`, call_id: c.id, name: c.name, arguments: '', status: 'in_progress' };
    events.push(event('response.output_item.added', { output_index, item }));
    for (const piece of argPieces(s, c.text)) events.push(event('response.function_call_arguments.delta', { item_id: item.id, output_index, delta: piece }));
    events.push(event('response.function_call_arguments.done', { item_id: item.id, output_index, arguments: c.text }));
    events.push(event('response.output_item.done', { output_index, item: { ...item, arguments: c.text, status: 'completed' } }));
  });
  const answer = responsesAnswer(body, s) as Record<string, unknown>;
  if (s.noUsage) delete answer.usage;
  events.push(event('response.completed', { response: answer }));
  const error = `event: error\ndata: ${JSON.stringify({ type: 'error', code: 'server_error', message: 'fake upstream failure', param: null, sequence_number: 999 })}\n\n`;
  await sendEvents(res, events, s, 4, error);
}

// ---------------------------------------------------------------- OpenAI embeddings

function embeddingsAnswer(body: any, s: Steering): unknown {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const vector = new Float32Array([0.25, -0.5, 0.75, 1]);
  const embedding = body.encoding_format === 'base64' ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector);
  return {
    object: 'list',
    model: body.model,
    data: inputs.map((_: unknown, index: number) => ({ object: 'embedding', index, embedding })),
    usage: { prompt_tokens: s.inputTokens, total_tokens: s.inputTokens },
  };
}

// ---------------------------------------------------------------- Anthropic messages

function messagesAnswer(body: any, s: Steering): unknown {
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model: body.model,
    content: [
      ...(s.reply ? [{ type: 'text', text: s.reply }] : []),
      ...s.toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: JSON.parse(c.text) })),
    ],
    stop_reason: s.toolCalls.length ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: s.inputTokens, output_tokens: s.outputTokens },
  };
}

async function messagesStream(res: ServerResponse, body: any, s: Steering): Promise<void> {
  const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const usage = s.noUsage ? {} : { usage: { input_tokens: s.inputTokens, output_tokens: 1 } };
  const events = [
    event('message_start', { message: { id: 'msg_fake', type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, ...usage } }),
    ...(s.reply ? [event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } })] : []),
    event('ping', {}),
  ];
  if (s.reply) {
    for (const piece of pieces(s)) events.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }));
    events.push(event('content_block_stop', { index: 0 }));
  }
  const first = s.reply ? 1 : 0;
  s.toolCalls.forEach((c, i) => {
    const index = first + i;
    events.push(event('content_block_start', { index, content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} } }));
    for (const piece of argPieces(s, c.text)) events.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }));
    events.push(event('content_block_stop', { index }));
  });
  events.push(event('message_delta', { delta: { stop_reason: s.toolCalls.length ? 'tool_use' : 'end_turn', stop_sequence: null }, ...(s.noUsage ? {} : { usage: { output_tokens: s.outputTokens } }) }));
  events.push(event('message_stop', {}));
  const error = event('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
  await sendEvents(res, events, s, 3, error);
}

// ---------------------------------------------------------------- shared

/** Writes events one by one; `lead` events come before the first text event. */
async function sendEvents(res: ServerResponse, events: string[], s: Steering, lead: number, errorEvent: string): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-fake-upstream': 'stream' });
  res.flushHeaders();
  let flushed = Promise.resolve();
  for (let i = 0; i < events.length; i++) {
    if (res.destroyed) return;
    const textEvents = i - lead;
    if (s.errorAfter !== undefined && textEvents === s.errorAfter) {
      res.end(errorEvent);
      return;
    }
    if (s.dropAfter !== undefined && textEvents === s.dropAfter) {
      // Cut only after what was written has left, so the events before the cut arrive.
      await flushed;
      res.socket?.destroy();
      return;
    }
    flushed = new Promise<void>((resolve) => res.write(events[i], () => resolve()));
    if (s.chunkDelayMs > 0) await sleep(s.chunkDelayMs);
  }
  res.end();
}

/** The reply split after every `pieceWords` words, as models stream it. */
function pieces(s: Steering): string[] {
  const words = s.reply.match(/\S+\s*|\s+/g) ?? [s.reply];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += s.pieceWords) out.push(words.slice(i, i + s.pieceWords).join(''));
  return out;
}

function errorBody(provider: 'openai' | 'anthropic', status: number): unknown {
  const message = `fake upstream failure (${status})`;
  if (provider === 'anthropic') return { type: 'error', error: { type: status === 529 ? 'overloaded_error' : 'api_error', message } };
  return { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } };
}

function json(res: ServerResponse, status: number, value: unknown, stallMs = 0): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  if (stallMs <= 0) return void res.end(text);
  const half = Math.floor(text.length / 2);
  res.write(text.slice(0, half));
  setTimeout(() => res.destroyed || res.end(text.slice(half)), stallMs);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function num(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
