// Small readers shared by the endpoint adapters.
import { isObject, numberOr } from '../content';
import { offeredTools } from '../tools';
import type { Endpoint, Json, ProviderName, Usage } from './types';

/** The smallest max-tokens value among `fields` that the body sets (the one the provider obeys). */
export function maxTokensOf(body: Json, fields: readonly string[]): number | undefined {
  let least: number | undefined;
  for (const field of fields) {
    const n = numberOr(body[field]);
    if (n !== undefined && (least === undefined || n < least)) least = n;
  }
  return least;
}

/** `fields` without the undefined values, so absent request fields stay missing in the context. */
export function defined(fields: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}

/** JSON.parse that answers undefined instead of throwing (upstream events are not trusted to parse). */
export function parseObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A token count from a usage object field, or undefined. */
export function count(usage: unknown, field: string): number | undefined {
  return isObject(usage) ? numberOr(usage[field]) : undefined;
}

/**
 * The `llm` fields every generating endpoint reads the same way; `prompt` holds the endpoint's own
 * (system, messages, toolResults). Absent request fields stay missing in the context.
 */
export function generationLlm(provider: ProviderName, endpoint: Endpoint, body: Json, maxTokensFields: readonly string[], prompt: Json): Json {
  return defined({
    provider,
    endpoint,
    model: body.model,
    ...prompt,
    maxTokens: maxTokensOf(body, maxTokensFields),
    stream: body.stream === true,
    temperature: numberOr(body.temperature),
    tools: offeredTools(body.tools),
  });
}

/** Usage from the two counts an answer reports; undefined when it reports neither. */
export function usageFrom(input: number | undefined, output: number | undefined): Usage | undefined {
  return input === undefined && output === undefined ? undefined : { inputTokens: input ?? 0, outputTokens: output ?? 0 };
}
