// Tool outputs coming back in a request (`llm.toolResults`, spec §7) are where indirect prompt
// injection reaches an agent: a web page or a file telling the model to do something else. Each
// result is scanned on its own, so a rule can name the result (`any` over llm.toolResults with
// `$.injectionScore`), and the results together get fields of their own, apart from the prompt's:
//   llm.toolResults[i].injectionScore / .injectionSignals / .containsPII / .piiTypes
//   llm.toolResultsInjectionScore      the highest score of any result
//   llm.toolResultsInjectionSignals    every signal of any result, each once
//   llm.toolResultsContainsPII, llm.toolResultsPiiTypes
// As elsewhere in enrichment, a value the caller sent is kept.
import { injectionScore } from './injection';
import { detectPII } from './pii';

type Fields = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Fields => v !== null && typeof v === 'object' && !Array.isArray(v);
const isAbsent = (o: Fields, key: string): boolean => o[key] === undefined || o[key] === null;

export interface ToolResultScans {
  injection: boolean;
  pii: boolean;
}

/** The `llm` fields above, or undefined when there are no tool results to scan. */
export function enrichToolResults(llm: Fields, scans: ToolResultScans): Fields | undefined {
  if (!Array.isArray(llm.toolResults) || (!scans.injection && !scans.pii)) return undefined;
  let maxScore = 0;
  const signals = new Set<string>();
  const piiTypes = new Set<string>();
  const results = llm.toolResults.map((result) => {
    if (!isPlainObject(result) || typeof result.text !== 'string') return result;
    const out: Fields = { ...result };
    if (scans.injection) {
      const found = injectionScore(result.text);
      if (isAbsent(out, 'injectionScore')) out.injectionScore = found.score;
      if (isAbsent(out, 'injectionSignals')) out.injectionSignals = found.signals;
      if (typeof out.injectionScore === 'number') maxScore = Math.max(maxScore, out.injectionScore);
      for (const s of Array.isArray(out.injectionSignals) ? out.injectionSignals : []) signals.add(String(s));
    }
    if (scans.pii) {
      const found = detectPII(result.text);
      if (isAbsent(out, 'containsPII')) out.containsPII = found.types.length > 0;
      if (isAbsent(out, 'piiTypes')) out.piiTypes = found.types;
      for (const t of Array.isArray(out.piiTypes) ? out.piiTypes : []) piiTypes.add(String(t));
    }
    return out;
  });
  const filled: Fields = { ...llm, toolResults: results };
  if (scans.injection) {
    if (isAbsent(llm, 'toolResultsInjectionScore')) filled.toolResultsInjectionScore = maxScore;
    if (isAbsent(llm, 'toolResultsInjectionSignals')) filled.toolResultsInjectionSignals = [...signals];
  }
  if (scans.pii) {
    if (isAbsent(llm, 'toolResultsContainsPII')) filled.toolResultsContainsPII = piiTypes.size > 0;
    if (isAbsent(llm, 'toolResultsPiiTypes')) filled.toolResultsPiiTypes = [...piiTypes];
  }
  return filled;
}
