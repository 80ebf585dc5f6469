// GET /v1/decisions?since=&until=&decision=&team=&user=&rule=&bundleVersion=&limit=&cursor=  (admin)
//   -> {records, nextCursor?}: newest first; pass nextCursor back for the next page.
//   With `Accept: application/x-ndjson` or `format=ndjson`: every matching record (at most
//   `limit` when given), one JSON object per line, streamed.
// since/until: epoch milliseconds or ISO 8601; since is inclusive, until exclusive. Every filter
// is checked first (decision-query.ts): a bad one is a 400 naming its field.
import { Hono } from 'hono';
import { exportDecisionsNdjson, queryDecisions } from '../../durable/decisions-client';
import type { AppEnv } from '../app-env';
import { ApiError } from '../http/api-error';
import { requireAdmin } from '../middleware/auth';
import { decisionQuery } from './decision-query';

export const decisions = new Hono<AppEnv>();

decisions.use(requireAdmin());

decisions.get('/', async (c) => {
  const { filter, format } = decisionQuery(new URL(c.req.url).searchParams);
  const env = c.env;
  const ndjson = format ? format === 'ndjson' : (c.req.header('accept') ?? '').includes('application/x-ndjson');
  try {
    if (ndjson) {
      return new Response(exportDecisionsNdjson(env, filter), { headers: { 'content-type': 'application/x-ndjson; charset=utf-8' } });
    }
    return c.json(await queryDecisions(env, filter));
  } catch (error) {
    // The clients throw RangeError/TypeError only for a bad filter or cursor (decisionQuery
    // has checked both, so this is a backstop).
    if (error instanceof RangeError || error instanceof TypeError) throw new ApiError(400, 'invalid_request', error.message);
    throw error;
  }
});
