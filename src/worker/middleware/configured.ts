// A deployed worker without its admin token or bundle public key must not run open: every route
// but /healthz (which says what is missing) answers 503 `misconfigured`.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { readConfig } from '../config';
import { ApiError } from '../http/api-error';

export function requireConfigured(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const config = readConfig(c.env);
    c.set('config', config);
    if (config.missing.length > 0 && c.req.path !== '/healthz') {
      throw new ApiError(503, 'misconfigured', `the worker is missing ${config.missing.join(' and ')}; it serves nothing until they are set`);
    }
    await next();
  };
}
