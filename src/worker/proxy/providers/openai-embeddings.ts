// OpenAI POST /v1/embeddings: `input` is text or a list of texts (token arrays pass unread).
// There is no output text and no stream; usage has prompt tokens only.
import { providerErrorBody } from '../errors';
import { count, defined } from './fields';
import type { EndpointAdapter, Json, Usage } from './types';

export const openaiEmbeddings: EndpointAdapter = {
  provider: 'openai',
  endpoint: 'embeddings',
  path: '/v1/embeddings',
  maxTokensFields: [],
  defaultOutputTokens: 0,

  llm: (body) => defined({ provider: 'openai', endpoint: 'embeddings', model: body.model, prompt: inputText(body.input), stream: false }),

  redactRequest(body, redact) {
    if (typeof body.input === 'string') body.input = redact(body.input);
    else if (Array.isArray(body.input)) body.input = body.input.map((item) => (typeof item === 'string' ? redact(item) : item));
  },

  streams: () => false,
  openStream: () => ({ read: () => ({}), errorEvent: (code, message) => ({ data: JSON.stringify(providerErrorBody('openai', code, message)) }) }),

  usage(answer: Json): Usage | undefined {
    const input = count(answer.usage, 'prompt_tokens');
    return input === undefined ? undefined : { inputTokens: input, outputTokens: 0 };
  },
  answerText: () => '',
  answerToolCalls: () => [],
  redactAnswer: () => undefined,
};

function inputText(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return undefined;
  const texts = input.filter((item): item is string => typeof item === 'string');
  return texts.length > 0 ? texts.join('\n') : undefined;
}

