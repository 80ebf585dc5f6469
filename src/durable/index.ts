// Durable Object classes the worker exports (wrangler.toml binds them).
export { BudgetCounter } from './budget-counter';
export { DecisionLog } from './decision-log';
export { VersionStats } from './version-stats';
export { RolloutCoordinator } from './rollout-coordinator';
export { Approvals } from './approvals';
