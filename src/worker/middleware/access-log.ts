// One structured log line per request. Only ids and outcomes: never tokens, keys or bodies.
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env';
import { log } from '../log';
import { requestsTotal } from '../metrics/index';

export function accessLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    // Workers clocks advance only across I/O, so a pure-CPU request may log 0 ms.
    const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
    const principal = c.get('principal');
    const status = c.res.status;
    // The matched route pattern (`/v1/keys/:id`), not the path: metric labels stay few.
    requestsTotal.inc({ route: routePath(c, -1) || 'unmatched', status: String(status) });
    log(status >= 500 ? 'error' : 'info', 'request', {
      method: c.req.method,
      path: c.req.path,
      status,
      requestId: c.get('requestId'),
      latencyMs,
      principal: principal?.kind,
      keyId: principal?.kind === 'client' ? principal.keyId : undefined,
      userId: principal?.kind === 'client' ? principal.subject.user?.id : undefined,
      teamId: principal?.kind === 'client' ? principal.subject.team?.id : undefined,
      projectId: principal?.kind === 'client' ? principal.subject.project?.id : undefined,
      ...c.get('logFields'),
    });
  };
}
