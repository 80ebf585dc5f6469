// The words the rules backend knows: numbers, comparisons, model names, tiers, environments,
// PII kinds, scopes and windows. Patterns work on normalize()d text (lower case, plain digits).
import type { Window } from '../../../policy/types';
import type { Comparison } from './atoms';

export const NUM = String.raw`\d+(?:\.\d+)?`;
export const MONEY = String.raw`(?:\$\s?(${NUM})|(${NUM})\s?(?:usd|dollars?))`;

/** Comparison words, longest first; each maps to an operator. */
const COMPARISONS: Array<[string, Comparison]> = [
  ['more than or equal to', 'gte'], ['greater than or equal to', 'gte'], ['at least', 'gte'], ['>=', 'gte'],
  ['more than', 'gt'], ['greater than', 'gt'], ['longer than', 'gt'], ['bigger than', 'gt'], ['higher than', 'gt'], ['larger than', 'gt'], ['in excess of', 'gt'],
  ['exceeding', 'gt'], ['exceeds', 'gt'], ['exceed', 'gt'], ['above', 'gt'], ['over', 'gt'], ['>', 'gt'],
  ['less than or equal to', 'lte'], ['<=', 'lte'],
  ['less than', 'lt'], ['lower than', 'lt'], ['fewer than', 'lt'], ['below', 'lt'], ['under', 'lt'], ['<', 'lt'],
];
export const CMP = `(${COMPARISONS.map(([w]) => w.replace(/[>=<]/g, (c) => `\\${c}`)).join('|')})`;

export function comparisonOf(words: string): Comparison {
  return COMPARISONS.find(([w]) => w === words)![1];
}

/** Model ids as providers spell them; a name never ends in "-" or ".". */
export const MODEL = String.raw`(?:(?:gpt|chatgpt|claude|gemini|llama|mistral|mixtral|codestral|command|deepseek|qwen|grok|text-embedding)-[a-z0-9.-]*[a-z0-9]|o[1-9](?:-(?:mini|pro|preview))?|llama[0-9][a-z0-9.-]*[a-z0-9]?)`;
const JOIN = String.raw`\s*(?:,\s*(?:or |and |nor )?|\s(?:or|and|nor|and/or)\s)\s*`;
export const MODEL_LIST = `${MODEL}(?:${JOIN}${MODEL})*`;

export function listItems(text: string): string[] {
  return text.split(new RegExp(JOIN)).map((s) => s.trim()).filter(Boolean);
}

/** Models a test can use when it needs one that a rule does not name. */
export const EXAMPLE_MODELS = ['gpt-4o-mini', 'claude-3-5-haiku', 'gpt-4o', 'o3', 'claude-3-5-sonnet', 'gemini-1.5-pro'];

export const TIERS = ['free', 'trial', 'starter', 'basic', 'plus', 'pro', 'team', 'business', 'premium', 'paid', 'enterprise'];
export const TIER = `(${TIERS.join('|')})`;

export const ENVIRONMENTS = ['production', 'prod', 'staging', 'development', 'dev', 'test', 'testing', 'sandbox', 'qa', 'preview'];
export const ENVIRONMENT = `(${ENVIRONMENTS.join('|')})`;

export const PROVIDERS = ['openai', 'anthropic', 'google', 'azure', 'mistral', 'cohere', 'bedrock', 'groq', 'vertex'];
export const PROVIDER = `(${PROVIDERS.join('|')})`;

/** PII as people write it -> spec §7's kinds. */
const PII_WORDS: Array<[string, string]> = [
  [String.raw`e-?mails?(?: addresses| address)?`, 'email'],
  [String.raw`phone(?: numbers?)?|phones|telephone numbers?`, 'phone'],
  [String.raw`credit[- ]card(?: numbers?)?s?|card numbers?`, 'credit_card'],
  [String.raw`ssns?|social security numbers?`, 'ssn'],
  [String.raw`ibans?|bank account numbers?`, 'iban'],
  [String.raw`ip(?: addresses| address)?s?`, 'ip_address'],
  [String.raw`secrets?|api keys?|credentials|passwords?`, 'secret'],
];
const PII_KIND = `(?:${PII_WORDS.map(([w]) => w).join('|')})`;
export const PII_ANY = String.raw`(?:pii|personal data|personal information|personally identifiable information|sensitive data)`;
export const PII_LIST = `(?:${PII_KIND}(?:${JOIN}${PII_KIND})*)`;

export function piiKindsOf(list: string): string[] {
  const kinds = listItems(list).map((item) => PII_WORDS.find(([w]) => new RegExp(`^(?:${w})$`).test(item))?.[1]);
  return [...new Set(kinds.filter((k): k is string => k !== undefined))];
}

/** Whose counter a limit keeps: "per user", "each team". */
export const SCOPES: Record<string, { field: string; example: string }> = {
  user: { field: 'user.id', example: 'user-1' },
  team: { field: 'team.id', example: 'team-a' },
  project: { field: 'project.id', example: 'project-a' },
  model: { field: 'llm.model', example: 'gpt-4o-mini' },
  provider: { field: 'llm.provider', example: 'openai' },
};

export const WINDOWS: Record<string, Window> = {
  minute: 'minute', min: 'minute', hour: 'hour', day: 'day', month: 'month',
  minutely: 'minute', hourly: 'hour', daily: 'day', monthly: 'month',
};

/** Plain English for a window, as in "team-daily-spend". */
export const WINDOW_ADJECTIVE: Record<Window, string> = { minute: 'per-minute', hour: 'hourly', day: 'daily', month: 'monthly' };
