// The edge worker's HTTP app. Middleware order matters: the request id first (every response
// carries it, errors included), then the access log, then the configuration guard; each route
// group brings its own auth.
import { Hono } from 'hono';
import type { AppEnv } from './app-env';
import { accessLog } from './middleware/access-log';
import { requireConfigured } from './middleware/configured';
import { notFound, onError } from './middleware/errors';
import { requestId } from './middleware/request-id';
import { approvals } from './routes/approvals';
import { budgets } from './routes/budgets';
import { bundles } from './routes/bundles';
import { decisions } from './routes/decisions';
import { evaluate } from './routes/evaluate';
import { health } from './routes/health';
import { keys } from './routes/keys';
import { mcp } from './mcp/index';
import { proxy } from './proxy/index';
import { metrics } from './routes/metrics';
import { policies } from './routes/policies';
import { root } from './routes/root';
import { rollout } from './routes/rollout';
import { studio } from './routes/studio';

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(accessLog());
  app.use(requireConfigured());

  app.route('/', root);
  app.route('/healthz', health);
  app.route('/v1/evaluate', evaluate);
  app.route('/v1/bundles', bundles);
  app.route('/v1/keys', keys);
  app.route('/metrics', metrics);
  app.route('/v1/budgets', budgets);
  app.route('/v1/decisions', decisions);
  app.route('/v1/rollout', rollout);
  app.route('/v1/policies', policies);
  app.route('/studio', studio);
  app.route('/proxy', proxy);
  app.route('/mcp', mcp);
  app.route('/v1/approvals', approvals);

  app.onError(onError);
  app.notFound(notFound);
  return app;
}
