// Enrichment: the derived fields of the request context (spec §7), and the pieces the proxy reuses.

export { enrich, DEFAULT_MAX_TOKENS, type EnrichOptions, type EnrichmentKind } from './enrich.js';
export { promptText, contentText } from './prompt-text.js';
export { countTokens, countMessageTokens, type ChatMessageLike } from './tokens.js';
export { countPromptTokens } from './prompt-tokens.js';
export { estimateCost, type CostArgs } from './cost.js';
export { detectPII, redactPII, PII_TYPES, type PiiType, type PiiMatch, type PiiReport } from './pii.js';
export { injectionScore, type InjectionResult } from './injection.js';
export { timeFields, type TimeFields } from './time.js';
