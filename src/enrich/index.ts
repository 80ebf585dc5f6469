// Enrichment: the derived fields of the request context (spec §7), and the pieces the proxy reuses.

export { enrich, DEFAULT_MAX_TOKENS, ENRICHED_FIELDS, type EnrichOptions, type EnrichmentKind } from './enrich';
export { promptText, contentText } from './prompt-text';
export { countTokens, countMessageTokens, type ChatMessageLike } from './tokens';
export { countPromptTokens } from './prompt-tokens';
export { canonicalModel } from './canonical-model';
export { decodeTokens, isTokenArray } from './token-decode';
export { estimateCost, type CostArgs } from './cost';
export { detectPII, redactPII, PII_TYPES, type PiiType, type PiiMatch, type PiiReport } from './pii';
export { injectionScore, INJECTION_THRESHOLD, type InjectionResult } from './injection';
export { timeFields, type TimeFields } from './time';
