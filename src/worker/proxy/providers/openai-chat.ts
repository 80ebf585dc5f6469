// OpenAI POST /v1/chat/completions. Streams end with `data: [DONE]`; usage comes only in an
// extra chunk (`choices: []`) when `stream_options.include_usage` is set, so the gateway sets it
// and hides that chunk from a caller who did not ask for it.
import { DEFAULT_MAX_TOKENS } from '../../../enrich/index';
import { isObject, mapMessagesText } from '../content';
import { providerErrorBody } from '../errors';
import type { SseEvent } from '../sse';
import { count, generationLlm, parseObject, usageFrom } from './fields';
import type { ToolDelta } from '../tool-stream';
import { chatAnswerToolCalls, chatToolResults } from '../tools';
import type { EndpointAdapter, EventInfo, Json, StreamReader, Usage } from './types';

const MAX_TOKENS_FIELDS = ['max_completion_tokens', 'max_tokens'] as const;

export const openaiChat: EndpointAdapter = {
  provider: 'openai',
  endpoint: 'chat.completions',
  path: '/v1/chat/completions',
  maxTokensFields: MAX_TOKENS_FIELDS,
  defaultOutputTokens: DEFAULT_MAX_TOKENS,

  llm: (body) => generationLlm('openai', 'chat.completions', body, MAX_TOKENS_FIELDS, { messages: body.messages, toolResults: chatToolResults(body.messages) }),

  redactRequest(body, redact) {
    body.messages = mapMessagesText(body.messages, redact);
  },

  streams: (body) => body.stream === true,

  streamRewritesBody: (body) => !(isObject(body.stream_options) && body.stream_options.include_usage === true),

  openStream(body) {
    const options = isObject(body.stream_options) ? body.stream_options : {};
    const callerAsked = options.include_usage === true;
    if (!callerAsked) body.stream_options = { ...options, include_usage: true };
    return chatStreamReader(callerAsked);
  },

  usage: (answer) => chatUsage(answer.usage),

  // A refusal is output too: response rules read it with the content (issue 14, security 8).
  answerText(answer) {
    const texts: string[] = [];
    for (const choice of choicesOf(answer)) {
      const message = isObject(choice.message) ? choice.message : undefined;
      if (typeof message?.content === 'string') texts.push(message.content);
      if (typeof message?.refusal === 'string') texts.push(message.refusal);
    }
    return texts.join('\n');
  },

  answerToolCalls: chatAnswerToolCalls,

  redactAnswer(answer, redact) {
    for (const choice of choicesOf(answer)) {
      const message = isObject(choice.message) ? choice.message : undefined;
      if (message && typeof message.content === 'string') message.content = redact(message.content);
      if (message && typeof message.refusal === 'string') message.refusal = redact(message.refusal);
      // The arguments are JSON text; a [REDACTED:TYPE] marker holds no quote, so it stays JSON.
      for (const call of Array.isArray(message?.tool_calls) ? message.tool_calls : []) {
        if (isObject(call) && isObject(call.function) && typeof call.function.arguments === 'string') call.function.arguments = redact(call.function.arguments);
      }
    }
  },
};

function chatStreamReader(callerAskedForUsage: boolean): StreamReader {
  const calls = new ChatCallTracker();
  return {
    read(e: SseEvent): EventInfo {
      if (e.data === '[DONE]') return {};
      const chunk = parseObject(e.data);
      if (!chunk) return {};
      if (chunk.error !== undefined) return { error: true };
      const info: EventInfo = {};
      const choices = choicesOf(chunk);
      let text = '';
      const tools: ToolDelta[] = [];
      for (const choice of choices) {
        const delta = isObject(choice.delta) ? choice.delta : undefined;
        if (delta) {
          if (typeof delta.content === 'string') text += delta.content;
          if (typeof delta.refusal === 'string') text += delta.refusal;
          if (Array.isArray(delta.tool_calls)) {
            for (const call of delta.tool_calls) {
              if (!isObject(call)) continue;
              const fn = isObject(call.function) ? call.function : undefined;
              if (typeof fn?.arguments === 'string') text += fn.arguments;
              tools.push(...calls.piece(choice.index, call, fn));
            }
          }
        }
        if (typeof choice.finish_reason === 'string') tools.push(...calls.finish(choice.index));
      }
      if (tools.length > 0) info.tools = tools;
      if (text) {
        info.text = text;
        const only = choices.length === 1 && isObject(choices[0].delta) ? choices[0].delta : undefined;
        if (only && typeof only.content === 'string' && only.content === text) {
          info.withText = (t) => ({ ...e, data: JSON.stringify({ ...chunk, choices: [{ ...choices[0], delta: { ...only, content: t } }] }) });
        }
      }
      const usage = chatUsage(chunk.usage);
      if (usage) {
        info.usage = usage;
        info.usageFinal = true;
        // The usage-only chunk the gateway asked for: the caller did not.
        if (!callerAskedForUsage && choices.length === 0) info.hide = true;
      }
      return info;
    },
    errorEvent: (code, message) => ({ data: JSON.stringify(providerErrorBody('openai', code, message)) }),
  };
}

/**
 * Chat names a call by its choice and `index`; a call is complete when a later index starts in
 * its choice, or the choice finishes.
 */
class ChatCallTracker {
  private readonly open = new Map<unknown, Set<number>>();

  piece(choice: unknown, call: Json, fn: Json | undefined): ToolDelta[] {
    const index = typeof call.index === 'number' ? call.index : 0;
    let open = this.open.get(choice);
    if (!open) this.open.set(choice, (open = new Set()));
    const done = [...open].filter((i) => i < index).map((i) => this.close(choice, open!, i));
    open.add(index);
    const piece: ToolDelta = { key: `${String(choice)}:${index}` };
    if (typeof call.id === 'string') piece.id = call.id;
    if (typeof fn?.name === 'string') piece.name = fn.name;
    if (typeof fn?.arguments === 'string') piece.arguments = fn.arguments;
    return [...done, piece];
  }

  finish(choice: unknown): ToolDelta[] {
    const open = this.open.get(choice);
    return open ? [...open].map((i) => this.close(choice, open, i)) : [];
  }

  private close(choice: unknown, open: Set<number>, index: number): ToolDelta {
    open.delete(index);
    return { key: `${String(choice)}:${index}`, done: true };
  }
}

function chatUsage(usage: unknown): Usage | undefined {
  return usageFrom(count(usage, 'prompt_tokens'), count(usage, 'completion_tokens'));
}

function choicesOf(value: Json): Json[] {
  return Array.isArray(value.choices) ? value.choices.filter(isObject) : [];
}
