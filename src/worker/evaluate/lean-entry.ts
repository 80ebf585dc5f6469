// POST /v1/evaluate without the Hono app: the hottest route does the same steps as the app's
// middleware chain (request id, config guard, bundle prefetch, client auth, the handler, errors,
// the access line and request counter) as plain calls, without building a Hono Context, routing
// or composing middleware for each request. The steps are the app's own functions, so both ways
// answer alike (test/worker/lean-evaluate.test.ts holds them to it); every other route, and any
// other method or spelling of this path, goes through the app (index.ts).
import type { Principal } from '../app-env';
import { loaderFor } from '../bundle/registry';
import { readConfig } from '../config';
import { newAccessLine } from '../middleware/access-line';
import { endRequest } from '../middleware/access-log';
import { bearerToken, principalOf, unauthorized } from '../middleware/auth';
import { misconfigured } from '../middleware/configured';
import { errorAnswer } from '../middleware/errors';
import { sanitize } from '../middleware/request-id';
import { evaluateOne } from './handle';

export const LEAN_PATH = '/v1/evaluate';

/**
 * True for exactly `POST /v1/evaluate` (a query string allowed): the requests the lean entry
 * serves. `url` is request.url, read once by the caller (the runtime builds the string on each read).
 */
export function servedLean(request: Request, url = request.url): boolean {
  if (request.method !== 'POST') return false;
  const start = url.indexOf('/', url.indexOf('://') + 3);
  if (start < 0) return false;
  const query = url.indexOf('?', start);
  const end = query < 0 ? url.length : query;
  return end - start === LEAN_PATH.length && url.startsWith(LEAN_PATH, start);
}

export async function serveEvaluate(request: Request, env: Env, ctx: ExecutionContext | undefined, url = request.url): Promise<Response> {
  const started = performance.now();
  const requestId = sanitize(request.headers.get('x-request-id') ?? undefined) ?? crypto.randomUUID();
  const line = newAccessLine(requestId);
  const config = readConfig(env);
  const waitUntil = ctx ? (p: Promise<unknown>) => ctx.waitUntil(p) : (p: Promise<unknown>) => void p;
  let principal: Principal | undefined;
  let res: Response;
  try {
    const refusal = misconfigured(config, LEAN_PATH);
    if (refusal) throw refusal;
    // Started before auth, as prefetch-bundles.ts does: a fresh isolate's bundle reads overlap the key lookup.
    const bundles = loaderFor(env, config).get(waitUntil);
    principal = await principalOf(env, config, url, bearerToken(request.headers, {}), waitUntil);
    if (!principal) throw unauthorized();
    res = await evaluateOne({ env, request, config, principal, requestId, bundles, waitUntil, line });
  } catch (err) {
    const { status, body } = errorAnswer(err, requestId, LEAN_PATH);
    res = new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }
  res.headers.set('x-request-id', requestId);
  endRequest(line, 'POST', LEAN_PATH, LEAN_PATH, res.status, started, principal, config.accessLogSampleRate);
  return res;
}
