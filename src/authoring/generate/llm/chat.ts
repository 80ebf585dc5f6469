// One turn with an OpenAI- or Anthropic-compatible chat API through the official SDKs, asking for
// structured output in the answer's JSON schema. Retries are the backend's (with feedback), so
// the SDKs' own are off.
import type { LlmSettings } from '../types';
import { ANSWER_JSON_SCHEMA, SYSTEM_PROMPT } from './prompt';

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

export const DEFAULT_MODELS: Record<LlmSettings['provider'], string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
};

/** The model's answer text (a JSON object, if it followed the format). */
export async function ask(settings: LlmSettings, turns: Turn[]): Promise<string> {
  const model = settings.model ?? DEFAULT_MODELS[settings.provider];
  if (settings.provider === 'openai') {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseURL, fetch: settings.fetch, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model,
      temperature: settings.temperature ?? 0,
      messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...turns],
      response_format: { type: 'json_schema', json_schema: { name: 'policy_with_tests', schema: ANSWER_JSON_SCHEMA, strict: false } },
    });
    return completion.choices[0]?.message?.content ?? '';
  }
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const client = new Anthropic({ apiKey: settings.apiKey, baseURL: settings.baseURL, fetch: settings.fetch, maxRetries: 0 });
  // This SDK's messages API types no temperature; one the caller set is sent as it is.
  const sampling = settings.temperature === undefined ? {} : { temperature: settings.temperature };
  const message = await client.messages.create({
    model,
    max_tokens: 4096,
    system: SYSTEM_PROMPT,
    messages: turns,
    output_config: { format: { type: 'json_schema', schema: ANSWER_JSON_SCHEMA } },
    ...sampling,
  } as Parameters<typeof client.messages.create>[0]) as { content: Array<{ type: string; text?: string }> };
  return message.content.map((block) => (block.type === 'text' ? block.text ?? '' : '')).join('');
}
