// llm-policy-engine: the library. Runs unchanged in Node and in Cloudflare Workers.
// Contract: docs/interfaces.md ("Library").

export { PolicyError, type PolicyErrorCode } from './policy/errors';
export { parsePolicies, type ParseOptions } from './policy/parse';
export { printPolicies } from './policy/print';
export { sourceOf } from './policy/source';
export { compileBundle, loadBundle, type CompileOptions, type LoadOptions } from './engine/index';
export {
  signBundle, verifyBundle, verifyBundleDetailed, generateKeyPair, computeBundleHash, canonicalJson,
  parseBundle, compareSemver, diffPolicies, diffBundles, formatDiff, signPointer, verifyPointer,
  type PolicyDiff, type BundleDiff, type Pointer, type SignedPointer,
} from './bundle/index';
export { lint, type LintFinding, type LintSeverity } from './lint/index';
export { enrich, type EnrichOptions } from './enrich/index';
export type * from './policy/types';
export {
  exportPolicies, toCedarContext, CedarContractError, EXPORT_FORMATS,
  type ExportFormat, type ExportResult, type CedarExport, type Gap as ExportGap,
} from './authoring/export/index';
