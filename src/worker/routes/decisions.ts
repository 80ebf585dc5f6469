// GET /v1/decisions?since=&until=&decision=&team=&user=&rule=&bundleVersion=&limit=&cursor=  (admin)
//   -> {records, nextCursor?}: newest first; pass nextCursor back for the next page.
//   With `Accept: application/x-ndjson` or `format=ndjson`: every matching record (at most
//   `limit` when given), one JSON object per line, streamed.
// since/until: epoch milliseconds or ISO 8601; since is inclusive, until exclusive.
import { Hono, type Context } from 'hono';
import type { DecisionFilter } from '../../durable/decision-types';
import { exportDecisionsNdjson, queryDecisions } from '../../durable/decisions-client';
import type { AppEnv } from '../app-env';
import { ApiError } from '../http/api-error';
import { requireAdmin } from '../middleware/auth';

const TEXT_PARAMS = ['since', 'until', 'decision', 'team', 'user', 'rule', 'bundleVersion', 'cursor'] as const;
const KNOWN_PARAMS = new Set<string>([...TEXT_PARAMS, 'limit', 'format']);
/** Every `decision` a record can have: the policy's, and the outcomes of the steps after it. */
export const RECORD_DECISIONS = ['allow', 'deny', 'needs_approval', 'budget_exceeded', 'rate_limited', 'budget_unavailable', 'approval_granted', 'approval_denied'] as const;
const KNOWN_DECISIONS = new Set<string>(RECORD_DECISIONS);

export const decisions = new Hono<AppEnv>();

decisions.use(requireAdmin());

decisions.get('/', async (c) => {
  const filter = filterOf(c);
  const env = c.env;
  try {
    if (wantsNdjson(c)) {
      return new Response(exportDecisionsNdjson(env, filter), { headers: { 'content-type': 'application/x-ndjson; charset=utf-8' } });
    }
    return c.json(await queryDecisions(env, filter));
  } catch (error) {
    // The clients throw RangeError/TypeError only for a bad filter or cursor.
    if (error instanceof RangeError || error instanceof TypeError) throw new ApiError(400, 'invalid_request', error.message);
    throw error;
  }
});

function filterOf(c: Context<AppEnv>): DecisionFilter {
  const query = c.req.query();
  for (const name of Object.keys(query)) {
    if (!KNOWN_PARAMS.has(name)) throw new ApiError(400, 'invalid_request', `unknown query parameter ${name}`);
  }
  const filter: DecisionFilter = {};
  for (const name of TEXT_PARAMS) if (query[name] !== undefined) filter[name] = query[name];
  // A misspelt decision would match nothing and look like "no such records": say so instead.
  if (query.decision !== undefined && !KNOWN_DECISIONS.has(query.decision)) {
    throw new ApiError(400, 'invalid_request', `decision: expected one of ${RECORD_DECISIONS.join(', ')}, got "${query.decision}"`);
  }
  if (query.limit !== undefined) {
    if (!/^\d{1,4}$/.test(query.limit)) throw new ApiError(400, 'invalid_request', 'limit must be an integer 1..1000');
    filter.limit = Number(query.limit);
  }
  if (query.format !== undefined && query.format !== 'json' && query.format !== 'ndjson') {
    throw new ApiError(400, 'invalid_request', 'format must be json or ndjson');
  }
  return filter;
}

function wantsNdjson(c: Context<AppEnv>): boolean {
  const format = c.req.query('format');
  if (format) return format === 'ndjson';
  return (c.req.header('accept') ?? '').includes('application/x-ndjson');
}
