// GET /v1/rollout (admin): stable, canary, percent, sequence, the promotion and critical gate
// tables over the canary's window, the kill switch, the coordinator and the history. What
// `llm-policy promote` and `status` read (src/rollout/README.md).
import { Hono } from 'hono';
import { buildRolloutView } from '../../durable/rollout-view';
import type { AppEnv } from '../app-env';
import { requireAdmin } from '../middleware/auth';

export const rollout = new Hono<AppEnv>();

rollout.use(requireAdmin());

rollout.get('/', async (c) => c.json(await buildRolloutView(c.env)));
