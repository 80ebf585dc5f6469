// One structured log line per request (access-line.ts: its shape and sampling), and the request
// counter by matched route.
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env';
import { readConfig } from '../config';
import { requestsTotal } from '../metrics/index';
import { finishAccessLine, writeAccessLine } from './access-line';

export function accessLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    // Workers clocks advance only across I/O, so a pure-CPU request may log 0 ms.
    const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
    const status = c.res.status;
    // The matched route pattern (`/v1/keys/:id`), not the path: metric labels stay few.
    requestsTotal.inc({ route: routePath(c, -1) || 'unmatched', status: String(status) });
    const line = c.get('logFields');
    finishAccessLine(line, c.req.method, c.req.path, status, latencyMs, c.get('principal'));
    writeAccessLine(line, (c.get('config') ?? readConfig(c.env)).accessLogSampleRate);
  };
}
