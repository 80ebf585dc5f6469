// GET /metrics (admin): Prometheus text for this isolate (see metrics/registry.ts).
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { loaderFor } from '../bundle/registry';
import { registry } from '../metrics/index';
import { requireAdmin } from '../middleware/auth';

export const metrics = new Hono<AppEnv>();

metrics.use(requireAdmin());

metrics.get('/', (c) => {
  const active = loaderFor(c.env, c.get('config')).active;
  const info = ['# HELP llm_policy_bundle_info Bundle versions this isolate serves.', '# TYPE llm_policy_bundle_info gauge'];
  if (active) {
    info.push(`llm_policy_bundle_info{role="stable",version="${active.stable.version}",hash="${active.stable.hash}"} 1`);
    if (active.canary) info.push(`llm_policy_bundle_info{role="canary",version="${active.canary.version}",hash="${active.canary.hash}",percent="${active.pointer.canaryPercent}"} 1`);
  }
  return c.text(registry.render() + info.join('\n') + '\n', 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
});
