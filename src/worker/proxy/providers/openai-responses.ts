// OpenAI POST /v1/responses. `input` is a string or a list of items (messages with content
// parts, tool outputs ...); `instructions` is the system prompt. Streams are typed events with a
// sequence number and no [DONE]; usage arrives in the terminal `response.completed` (or
// `.incomplete` / `.failed`) event.
import { DEFAULT_MAX_TOKENS } from '../../../enrich/index';
import { isObject, mapContentText, stringOr } from '../content';
import { providerErrorBody } from '../errors';
import type { SseEvent } from '../sse';
import { count, generationLlm, parseObject, usageFrom } from './fields';
import { responsesAnswerToolCalls, responsesToolResults } from '../tools';
import type { EndpointAdapter, EventInfo, Json, StreamReader, Usage } from './types';

const MAX_TOKENS_FIELDS = ['max_output_tokens'] as const;
const TEXT_DELTAS = new Set(['response.output_text.delta', 'response.refusal.delta', 'response.function_call_arguments.delta']);
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export const openaiResponses: EndpointAdapter = {
  provider: 'openai',
  endpoint: 'responses',
  path: '/v1/responses',
  maxTokensFields: MAX_TOKENS_FIELDS,
  defaultOutputTokens: DEFAULT_MAX_TOKENS,

  llm: (body) =>
    generationLlm('openai', 'responses', body, MAX_TOKENS_FIELDS, {
      system: typeof body.instructions === 'string' ? body.instructions : undefined,
      messages: inputMessages(body.input),
      toolResults: responsesToolResults(body.input),
    }),

  redactRequest(body, redact) {
    if (typeof body.instructions === 'string') body.instructions = redact(body.instructions);
    if (typeof body.input === 'string') body.input = redact(body.input);
    else if (Array.isArray(body.input)) body.input = body.input.map((item) => redactItem(item, redact));
  },

  streams: (body) => body.stream === true,
  openStream: () => responsesStreamReader(),

  usage: (answer) => responsesUsage(answer.usage),

  answerText(answer) {
    const texts: string[] = [];
    forEachOutputText(answer, (part, field) => texts.push(part[field] as string));
    return texts.join('\n');
  },

  answerToolCalls: responsesAnswerToolCalls,

  redactAnswer(answer, redact) {
    forEachOutputText(answer, (part, field) => {
      part[field] = redact(part[field] as string);
    });
    for (const item of Array.isArray(answer.output) ? answer.output : []) {
      if (isObject(item) && item.type === 'function_call' && typeof item.arguments === 'string') item.arguments = redact(item.arguments);
    }
  },
};

/** The input as `{role, content}` messages: a string is one user message; tool outputs read as role `tool`. */
function inputMessages(input: unknown): Json[] | undefined {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) return undefined;
  const messages: Json[] = [];
  for (const item of input) {
    if (!isObject(item)) continue;
    if (typeof item.role === 'string') messages.push({ role: item.role, content: item.content });
    else if (item.type === 'function_call_output' && typeof item.output === 'string') messages.push({ role: 'tool', content: item.output });
  }
  return messages;
}

function redactItem(item: unknown, redact: (text: string) => string): unknown {
  if (!isObject(item)) return item;
  if (typeof item.role === 'string' && item.content !== undefined) return { ...item, content: mapContentText(item.content, redact) };
  if (item.type === 'function_call_output' && typeof item.output === 'string') return { ...item, output: redact(item.output) };
  return item;
}

// Output text parts and refusal parts (a refusal is output too: response rules read it).
function forEachOutputText(answer: Json, visit: (part: Json, field: 'text' | 'refusal') => void): void {
  if (!Array.isArray(answer.output)) return;
  for (const item of answer.output) {
    if (!isObject(item) || item.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const part of item.content) {
      if (isObject(part) && part.type === 'output_text' && typeof part.text === 'string') visit(part, 'text');
      if (isObject(part) && part.type === 'refusal' && typeof part.refusal === 'string') visit(part, 'refusal');
    }
  }
}

function responsesStreamReader(): StreamReader {
  let lastSequence = -1;
  const calls = new Set<unknown>();
  return {
    read(e: SseEvent): EventInfo {
      const data = parseObject(e.data);
      if (!data) return {};
      if (typeof data.sequence_number === 'number') lastSequence = data.sequence_number;
      const type = data.type ?? e.event;
      if (type === 'error') return { error: true };
      const key = String(data.output_index);
      if (type === 'response.output_item.added' && isObject(data.item) && data.item.type === 'function_call') {
        calls.add(data.output_index);
        const args = typeof data.item.arguments === 'string' && data.item.arguments !== '' ? { arguments: data.item.arguments } : {};
        return { tools: [{ key, id: stringOr(data.item.call_id), name: stringOr(data.item.name), ...args }] };
      }
      if (type === 'response.function_call_arguments.done' && calls.has(data.output_index)) {
        return { tools: [{ key, ...(typeof data.arguments === 'string' ? { argumentsFull: data.arguments } : {}), done: true }] };
      }
      if (type === 'response.output_item.done' && calls.has(data.output_index)) {
        const item = isObject(data.item) ? data.item : {};
        return { tools: [{ key, ...(typeof item.arguments === 'string' ? { argumentsFull: item.arguments } : {}), done: true }] };
      }
      if (typeof type === 'string' && TEXT_DELTAS.has(type) && typeof data.delta === 'string') {
        const withText = type === 'response.output_text.delta' ? (t: string) => ({ ...e, data: JSON.stringify({ ...data, delta: t }) }) : undefined;
        const info: EventInfo = { text: data.delta, withText };
        if (type === 'response.function_call_arguments.delta' && calls.has(data.output_index)) info.tools = [{ key, arguments: data.delta }];
        return info;
      }
      if (typeof type === 'string' && TERMINAL.has(type) && isObject(data.response)) {
        const usage = responsesUsage(data.response.usage);
        const info: EventInfo = type === 'response.failed' ? { error: true } : {};
        return usage ? { ...info, usage, usageFinal: true } : info;
      }
      return {};
    },
    // The Responses `error` event, plus an `error` object: the OpenAI SDK throws on the latter.
    errorEvent(code, message) {
      const data = { type: 'error', code, message, param: null, sequence_number: lastSequence + 1, ...providerErrorBody('openai', code, message) };
      return { event: 'error', data: JSON.stringify(data) };
    },
  };
}

function responsesUsage(usage: unknown): Usage | undefined {
  return usageFrom(count(usage, 'input_tokens'), count(usage, 'output_tokens'));
}
