// x-request-id on every response: the caller's (stripped to safe characters, at most 128), so
// their logs and ours join up, or a fresh UUID.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { newAccessLine } from './access-line';

const MAX_LENGTH = 128;

export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = sanitize(c.req.header('x-request-id')) ?? crypto.randomUUID();
    c.set('requestId', id);
    c.set('logFields', newAccessLine(id));
    await next();
    c.res.headers.set('x-request-id', id);
  };
}

export function sanitize(given: string | undefined): string | undefined {
  if (!given) return undefined;
  const clean = given.replace(/[^A-Za-z0-9._:\-]/g, '').slice(0, MAX_LENGTH);
  return clean === '' ? undefined : clean;
}
