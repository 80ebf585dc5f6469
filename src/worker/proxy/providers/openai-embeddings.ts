// OpenAI POST /v1/embeddings: `input` is text, a list of texts, a token array or a list of token
// arrays. Token arrays are decoded (cl100k_base, the embedding models' vocabulary) into
// `llm.prompt`, so PII and injection checks read them like text; an id outside the vocabulary
// is a 400, since what cannot be read cannot be checked. There is no output text and no stream;
// usage has prompt tokens only.
import { decodeTokens, isTokenArray } from '../../../enrich/index';
import { ApiError } from '../../http/api-error';
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

  // A token array whose text redaction changes is sent as the redacted text (the API takes both).
  redactRequest(body, redact) {
    if (typeof body.input === 'string') body.input = redact(body.input);
    else if (isTokenArray(body.input)) body.input = redactTokens(body.input, redact);
    else if (Array.isArray(body.input)) body.input = body.input.map((item) => (typeof item === 'string' ? redact(item) : isTokenArray(item) ? redactTokens(item, redact) : item));
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
  if (isTokenArray(input)) return decoded(input, 'input');
  if (!Array.isArray(input)) return undefined;
  const texts: string[] = [];
  input.forEach((item, i) => {
    if (typeof item === 'string') texts.push(item);
    else if (isTokenArray(item)) texts.push(decoded(item, `input[${i}]`));
  });
  return texts.length > 0 ? texts.join('\n') : undefined;
}

function decoded(ids: number[], path: string): string {
  const text = decodeTokens(ids);
  if (text === undefined) throw new ApiError(400, 'invalid_request', `${path}: token ids must be cl100k_base tokens (0 to 100276) so the gateway can check them`);
  return text;
}

function redactTokens(ids: number[], redact: (text: string) => string): number[] | string {
  const text = decodeTokens(ids);
  if (text === undefined) return ids;
  const out = redact(text);
  return out === text ? ids : out;
}

