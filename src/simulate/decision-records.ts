// Decision-record files for `simulate --from-decisions` and `suggest`: the NDJSON that
// `GET /v1/decisions` exports, one record per line. Each line is checked for the fields replay
// relies on, so a truncated or foreign file is reported at its line instead of replaying less.
import type { DecisionRecord } from '../durable/decision-types';
import { isPlainObject } from '../policy/schema-helpers';
import { parseObjectLines, type FixtureProblem } from './fixtures';

export interface RecordLine {
  /** 1-based line in the file. */
  line: number;
  record: DecisionRecord;
}

export function parseDecisionRecords(text: string, file: string): { records: RecordLine[]; problems: FixtureProblem[] } {
  const { objects, problems } = parseObjectLines(text, file, 'one decision record per line');
  const records: RecordLine[] = [];
  for (const { line, value } of objects) {
    const problem = recordProblem(value);
    if (problem) problems.push({ line, message: `${file}:${line}: ${problem}` });
    else records.push({ line, record: normalized(value) });
  }
  problems.sort((a, b) => a.line - b.line);
  return { records, problems };
}

/** What makes `value` unusable as a record, or undefined. */
function recordProblem(v: Record<string, unknown>): string | undefined {
  if (typeof v.requestId !== 'string' || v.requestId === '') return 'requestId: expected a non-empty string (is this a GET /v1/decisions export?)';
  if (typeof v.decision !== 'string' || v.decision === '') return `record ${v.requestId}: decision: expected a non-empty string`;
  if (typeof v.time !== 'string' || !Number.isFinite(Date.parse(v.time))) return `record ${v.requestId}: time: expected an ISO 8601 time`;
  for (const key of ['context', 'subject', 'tags'] as const) {
    if (v[key] !== undefined && !isPlainObject(v[key])) return `record ${v.requestId}: ${key}: expected an object`;
  }
  for (const key of ['decidingRules', 'matchedRules', 'reasons', 'shadow'] as const) {
    if (v[key] !== undefined && !Array.isArray(v[key])) return `record ${v.requestId}: ${key}: expected a list`;
  }
  for (const key of ['estimatedCostUsd', 'actualCostUsd'] as const) {
    if (v[key] !== undefined && (typeof v[key] !== 'number' || !Number.isFinite(v[key]))) return `record ${v.requestId}: ${key}: expected a number`;
  }
  return undefined;
}

/** Fills in the lists and objects a minimal record leaves out, in place (the object is the parser's own). */
function normalized(v: Record<string, unknown>): DecisionRecord {
  v.subject ??= {};
  v.decidingRules ??= [];
  v.matchedRules ??= [];
  v.reasons ??= [];
  v.tags ??= {};
  v.bundle ??= null;
  return v as unknown as DecisionRecord;
}
