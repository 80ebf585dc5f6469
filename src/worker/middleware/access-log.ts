// One structured log line per request (access-line.ts: its shape and sampling), and the request
// counter by matched route. The lean POST /v1/evaluate entry ends its requests through endRequest too.
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv, Principal } from '../app-env';
import { readConfig } from '../config';
import { requestsTotal } from '../metrics/index';
import { finishAccessLine, writeAccessLine, type AccessLine } from './access-line';

export function accessLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    // The matched route pattern (`/v1/keys/:id`), not the path: metric labels stay few.
    const route = routePath(c, -1) || 'unmatched';
    const sampleRate = (c.get('config') ?? readConfig(c.env)).accessLogSampleRate;
    endRequest(c.get('logFields'), c.req.method, route, c.req.path, c.res.status, started, c.get('principal'), sampleRate);
  };
}

/** Counts the answered request under its route and writes its access line (sampled: access-line.ts). */
export function endRequest(line: AccessLine, method: string, route: string, path: string, status: number, started: number, principal: Principal | undefined, sampleRate: number): void {
  requestsTotal.inc({ route, status: String(status) });
  // Workers clocks advance only across I/O, so a pure-CPU request may log 0 ms.
  const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
  finishAccessLine(line, method, path, status, latencyMs, principal);
  writeAccessLine(line, sampleRate);
}
