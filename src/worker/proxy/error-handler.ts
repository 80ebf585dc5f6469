// Errors raised on proxy routes (bad key, bad body, anything unexpected) in the shape of the
// provider the route imitates, so the SDKs raise AuthenticationError, BadRequestError ... as usual.
import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app-env';
import { ApiError } from '../http/api-error';
import { log } from '../log';
import { providerErrorResponse } from './errors';
import type { ProviderName } from './providers/types';

export const proxyErrors: ErrorHandler<AppEnv> = (err, c) => {
  const provider: ProviderName = c.req.path.startsWith('/proxy/anthropic') ? 'anthropic' : 'openai';
  if (err instanceof ApiError) return providerErrorResponse(provider, err.status, err.code, err.message);
  if (err instanceof HTTPException) return providerErrorResponse(provider, err.status, err.status >= 500 ? 'internal_error' : 'invalid_request', err.message || 'request refused');
  log('error', 'unhandled_error', { requestId: c.get('requestId'), path: c.req.path, error: err instanceof Error ? err.stack ?? err.message : String(err) });
  return providerErrorResponse(provider, 500, 'internal_error', 'internal error; see the worker logs for this request id');
};
