// A deployed worker without its admin token or bundle public key must not run open: every route
// but /healthz (which says what is missing) answers 503 `misconfigured`.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { readConfig, type Config } from '../config';
import { ApiError } from '../http/api-error';

export function requireConfigured(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const config = readConfig(c.env);
    c.set('config', config);
    const refusal = misconfigured(config, c.req.path);
    if (refusal) throw refusal;
    await next();
  };
}

/** The 503 a request to `path` gets when the worker lacks a required setting. */
export function misconfigured(config: Config, path: string): ApiError | undefined {
  if (config.missing.length === 0 || path === '/healthz') return undefined;
  return new ApiError(503, 'misconfigured', `the worker is missing ${config.missing.join(' and ')}; it serves nothing until they are set`);
}
