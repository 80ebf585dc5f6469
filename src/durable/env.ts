// The bindings and vars the Durable Object code and its clients read (wrangler.toml declares them).
// Client functions take only the slice they need, so the worker, the proxy and tests can pass
// their own env (tests pass extra vars such as MASK_FIELDS without touching wrangler.toml).
import type { Approvals } from './approvals';
import type { BudgetCounter } from './budget-counter';
import type { DecisionLog } from './decision-log';
import type { VersionStats } from './version-stats';

export interface BudgetsEnv {
  BUDGETS: DurableObjectNamespace<BudgetCounter>;
}

export interface DecisionsEnv {
  DECISIONS: DurableObjectNamespace<DecisionLog>;
  /** `true` keeps prompt text in decision records; anything else stores only its hash and size. */
  STORE_PROMPTS?: string;
  /** Comma-separated context paths replaced by `***` in decision records, e.g. `user.email,metadata.ip`. */
  MASK_FIELDS?: string;
  /** Days a decision record is kept (default 30). Read by the DecisionLog objects themselves. */
  DECISION_RETENTION_DAYS?: string;
}

export interface VersionStatsEnv {
  VERSION_STATS: DurableObjectNamespace<VersionStats>;
}

export type DurableEnv = BudgetsEnv & DecisionsEnv & VersionStatsEnv;

/** The needs_approval queue (approvals.ts). */
export interface ApprovalsEnv {
  APPROVALS: DurableObjectNamespace<Approvals>;
  /** Seconds an approved grant can be redeemed (default 900). */
  APPROVAL_TTL_SECONDS?: string;
  /** Seconds a pending request waits for a person (default 86400). */
  APPROVAL_PENDING_SECONDS?: string;
}
