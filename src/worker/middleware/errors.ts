// Every failure leaves as `{error: {code, message}}`; unexpected ones are logged in full and
// answered without internals (no stack traces to callers).
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../app-env';
import { ApiError, errorBody } from '../http/api-error';
import { log } from '../log';

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const { status, body } = errorAnswer(err, c.get('requestId'), c.req.path);
  return c.json(body, status);
};

/** What a failure answers (status and body); an unexpected one is logged here. */
export function errorAnswer(err: unknown, requestId: string, path: string): { status: ContentfulStatusCode; body: ReturnType<typeof errorBody> } {
  if (err instanceof ApiError) return { status: err.status, body: err.toJSON() };
  if (err instanceof HTTPException) return { status: err.status, body: errorBody(codeFor(err.status), err.message || 'request refused') };
  log('error', 'unhandled_error', { requestId, path, error: err instanceof Error ? err.stack ?? err.message : String(err) });
  return { status: 500, body: errorBody('internal_error', 'internal error; see the worker logs for this request id') };
}

export const notFound: NotFoundHandler<AppEnv> = (c: Context<AppEnv>) =>
  c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404);

function codeFor(status: number): string {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  return status >= 500 ? 'internal_error' : 'invalid_request';
}
