// The query string of GET /v1/decisions, checked field by field before any shard is asked: a
// filter that no record can match (a misspelt decision, a date that does not exist, a version
// that is not semver) would otherwise look like "no such records". Every error names its field.
import { z } from 'zod';
import { isSemver } from '../../bundle/semver';
import { decodeCursor } from '../../durable/decision-order';
import type { DecisionFilter } from '../../durable/decision-types';
import { ID_PATTERN } from '../../policy/schema-values';
import { ApiError } from '../http/api-error';

/** Every `decision` a record can have: the policy's, and the outcomes of the steps after it. */
export const RECORD_DECISIONS = ['allow', 'deny', 'needs_approval', 'budget_exceeded', 'rate_limited', 'budget_unavailable', 'approval_granted', 'approval_denied'] as const;
const KNOWN_DECISIONS = new Set<string>(RECORD_DECISIONS);
const FORMATS = ['json', 'ndjson'];
const MAX_LIMIT = 1000;
const MAX_TEXT = 256;
export const DECISION_QUERY_PARAMS = ['since', 'until', 'decision', 'team', 'user', 'rule', 'bundleVersion', 'limit', 'cursor', 'format'] as const;
const KNOWN_PARAMS = new Set<string>(DECISION_QUERY_PARAMS);

// A date (midnight UTC) or a date-time with Z or an offset; both checked against the calendar
// (Date.parse alone takes 2026-02-30 as March 2nd).
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

const bad = (field: string, expected: string, got: string) =>
  new ApiError(400, 'invalid_request', `${field}: expected ${expected}, got ${JSON.stringify(got)}`);

/** `search` (the URL's query) as a filter, or a 400 naming the first bad field. */
export function decisionQuery(search: URLSearchParams): { filter: DecisionFilter; format?: 'json' | 'ndjson' } {
  const values = new Map<string, string>();
  for (const [name, value] of search) {
    if (!KNOWN_PARAMS.has(name)) throw new ApiError(400, 'invalid_request', `unknown query parameter ${name} (known: ${DECISION_QUERY_PARAMS.join(', ')})`);
    if (values.has(name)) throw new ApiError(400, 'invalid_request', `${name}: given more than once; each filter takes one value`);
    values.set(name, value);
  }
  const filter: DecisionFilter = {};
  const since = values.get('since');
  const until = values.get('until');
  if (since !== undefined) filter.since = timeOf('since', since);
  if (until !== undefined) filter.until = timeOf('until', until);
  if (filter.since !== undefined && filter.until !== undefined && (filter.until as number) <= (filter.since as number)) {
    throw new ApiError(400, 'invalid_request', `until: must be after since (${since}), got ${JSON.stringify(until)}; since is inclusive, until exclusive`);
  }
  const decision = values.get('decision');
  if (decision !== undefined) {
    if (!KNOWN_DECISIONS.has(decision)) throw bad('decision', `one of ${RECORD_DECISIONS.join(', ')}`, decision);
    filter.decision = decision;
  }
  for (const name of ['team', 'user'] as const) {
    const value = values.get(name);
    if (value === undefined) continue;
    if (value === '' || value.length > MAX_TEXT) throw bad(name, `a non-empty id of at most ${MAX_TEXT} characters`, value);
    filter[name] = value;
  }
  const rule = values.get('rule');
  if (rule !== undefined) {
    if (!isRuleRef(rule)) throw bad('rule', 'policyId/ruleId or a bare rule id (lowercase letters, digits, . _ -)', rule);
    filter.rule = rule;
  }
  const bundleVersion = values.get('bundleVersion');
  if (bundleVersion !== undefined) {
    if (!isSemver(bundleVersion)) throw bad('bundleVersion', 'a semver bundle version like 1.4.0', bundleVersion);
    filter.bundleVersion = bundleVersion;
  }
  const limit = values.get('limit');
  if (limit !== undefined) {
    if (!/^[1-9]\d{0,3}$/.test(limit) || Number(limit) > MAX_LIMIT) throw bad('limit', `an integer 1..${MAX_LIMIT}`, limit);
    filter.limit = Number(limit);
  }
  const cursor = values.get('cursor');
  if (cursor !== undefined) {
    try {
      decodeCursor(cursor);
    } catch {
      throw bad('cursor', 'the nextCursor of a previous page, passed back as it was', cursor.length > 40 ? `${cursor.slice(0, 40)}...` : cursor);
    }
    filter.cursor = cursor;
  }
  const format = values.get('format');
  if (format !== undefined && !FORMATS.includes(format)) throw bad('format', 'json or ndjson', format);
  return { filter, format: format as 'json' | 'ndjson' | undefined };
}

/** Epoch milliseconds, or an ISO 8601 date or date-time, as epoch milliseconds. */
function timeOf(field: string, value: string): number {
  const ms = /^\d{1,15}$/.test(value)
    ? Number(value)
    : isoDate.safeParse(value).success || isoDateTime.safeParse(value).success ? Date.parse(value) : NaN;
  if (!Number.isSafeInteger(ms)) throw bad(field, 'epoch milliseconds or an ISO 8601 time like 2026-11-22 or 2026-11-22T10:00:00Z', value);
  return ms;
}

function isRuleRef(rule: string): boolean {
  const parts = rule.split('/');
  return parts.length <= 2 && parts.every((p) => ID_PATTERN.test(p));
}
