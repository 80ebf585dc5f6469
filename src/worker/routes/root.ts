// GET / (no auth): what this service is and where to look next.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';

export const root = new Hono<AppEnv>();

root.get('/', (c) =>
  c.json({
    service: 'llm-policy-engine',
    health: '/healthz',
    routes: ['POST /v1/evaluate', 'POST /v1/evaluate/batch', 'GET /v1/bundles', 'GET /v1/bundles/active', 'POST /v1/keys', 'DELETE /v1/keys/:id', 'GET /metrics'],
  }),
);
