// Anthropic POST /v1/messages. `system` is top level (a string or text blocks); `max_tokens` is
// required. Streams are named events: `message_start` carries input usage, `content_block_delta`
// the text, `message_delta` the cumulative output usage, `message_stop` the end; `error` reports
// a failure inside the stream.
import { DEFAULT_MAX_TOKENS } from '../../../enrich/index';
import { isObject, mapContentText, mapMessagesText, stringOr } from '../content';
import { providerErrorBody } from '../errors';
import type { SseEvent } from '../sse';
import { count, generationLlm, parseObject, usageFrom } from './fields';
import { messagesAnswerToolCalls, messagesToolResults } from '../tools';
import type { EndpointAdapter, EventInfo, Json, StreamReader, Usage } from './types';

const MAX_TOKENS_FIELDS = ['max_tokens'] as const;

export const anthropicMessages: EndpointAdapter = {
  provider: 'anthropic',
  endpoint: 'messages',
  path: '/v1/messages',
  maxTokensFields: MAX_TOKENS_FIELDS,
  defaultOutputTokens: DEFAULT_MAX_TOKENS,

  llm: (body) =>
    generationLlm('anthropic', 'messages', body, MAX_TOKENS_FIELDS, {
      system: typeof body.system === 'string' || Array.isArray(body.system) ? body.system : undefined,
      messages: body.messages,
      toolResults: messagesToolResults(body.messages),
    }),

  redactRequest(body, redact) {
    if (body.system !== undefined) body.system = mapContentText(body.system, redact);
    body.messages = mapMessagesText(body.messages, redact);
  },

  streams: (body) => body.stream === true,
  openStream: () => messagesStreamReader(),

  usage: (answer) => messagesUsage(answer.usage),

  answerText(answer) {
    return textBlocks(answer)
      .map((b) => b.text as string)
      .join('\n');
  },

  answerToolCalls: messagesAnswerToolCalls,

  redactAnswer(answer, redact) {
    for (const block of textBlocks(answer)) block.text = redact(block.text as string);
    for (const block of Array.isArray(answer.content) ? answer.content : []) {
      if (isObject(block) && block.type === 'tool_use') block.input = redactStrings(block.input, redact, 0);
    }
  },
};

function messagesStreamReader(): StreamReader {
  const toolBlocks = new Set<unknown>();
  return {
    read(e: SseEvent): EventInfo {
      if (e.event === 'ping') return {};
      if (e.event === 'error') return { error: true };
      const data = parseObject(e.data);
      if (!data) return {};
      switch (data.type) {
        case 'message_start': {
          const usage = isObject(data.message) ? messagesUsage(data.message.usage) : undefined;
          return usage ? { usage } : {};
        }
        case 'content_block_start': {
          // A tool_use block: its input arrives as input_json_delta pieces until content_block_stop.
          const block = isObject(data.content_block) ? data.content_block : undefined;
          if (block?.type !== 'tool_use') return {};
          toolBlocks.add(data.index);
          return { tools: [{ key: String(data.index), id: stringOr(block.id), name: stringOr(block.name) }] };
        }
        case 'content_block_delta': {
          const delta = isObject(data.delta) ? data.delta : undefined;
          if (typeof delta?.text === 'string') {
            return { text: delta.text, withText: (t) => ({ ...e, data: JSON.stringify({ ...data, delta: { ...delta, text: t } }) }) };
          }
          if (typeof delta?.partial_json === 'string') {
            const info: EventInfo = { text: delta.partial_json };
            if (toolBlocks.has(data.index)) info.tools = [{ key: String(data.index), arguments: delta.partial_json }];
            return info;
          }
          return {};
        }
        case 'content_block_stop':
          return toolBlocks.has(data.index) ? { tools: [{ key: String(data.index), done: true }] } : {};
        case 'message_delta': {
          // Output tokens here are cumulative; input fields, when present, are too.
          const output = count(data.usage, 'output_tokens');
          const input = inputTokens(data.usage);
          const usage: Partial<Usage> = {};
          if (output !== undefined) usage.outputTokens = output;
          if (input !== undefined) usage.inputTokens = input;
          return output === undefined ? {} : { usage, usageFinal: true };
        }
        default:
          return {};
      }
    },
    errorEvent: (code, message) => ({ event: 'error', data: JSON.stringify(providerErrorBody('anthropic', code, message)) }),
  };
}

/** Input tokens as billed: plain input plus prompt-cache writes and reads (priced here at the input rate). */
function inputTokens(usage: unknown): number | undefined {
  const plain = count(usage, 'input_tokens');
  if (plain === undefined) return undefined;
  return plain + (count(usage, 'cache_creation_input_tokens') ?? 0) + (count(usage, 'cache_read_input_tokens') ?? 0);
}

function messagesUsage(usage: unknown): Usage | undefined {
  return usageFrom(inputTokens(usage), count(usage, 'output_tokens'));
}

/** Every string inside a tool_use input, redacted (bounded depth: the answer is not trusted). */
function redactStrings(value: unknown, redact: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, redact, depth + 1));
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactStrings(v, redact, depth + 1);
  return out;
}

function textBlocks(answer: Json): Json[] {
  return Array.isArray(answer.content) ? answer.content.filter((b): b is Json => isObject(b) && b.type === 'text' && typeof b.text === 'string') : [];
}
