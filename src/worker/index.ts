// Worker entry: the Hono app handles fetch; the Durable Object classes are exported for their bindings.
// Named one by one (not `export *`): `wrangler types` reads this file's exports without bundling,
// and types each namespace binding with its class only when it sees the class exported here.
import { createApp } from './app';

export { Approvals, BudgetCounter, DecisionLog, RolloutCoordinator, VersionStats } from '../durable/index';

export default createApp();
