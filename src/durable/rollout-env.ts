// The bindings and vars the rollout coordinator, its client and GET /v1/rollout read.
import type { VersionStatsEnv } from './env';
import type { RolloutCoordinator } from './rollout-coordinator';

export interface RolloutEnv extends VersionStatsEnv {
  /** Signed bundles, the signed pointer and history; the unsigned kill switch and its log. */
  BUNDLES: KVNamespace;
  /** One RolloutCoordinator, named `rollout`. Optional: a worker without it serves, unwatched. */
  ROLLOUT?: DurableObjectNamespace<RolloutCoordinator>;
  /** Verifies the pointer and history before anything is judged from them. */
  BUNDLE_PUBLIC_KEY?: string;
  GATE_MAX_ERROR_RATE?: string;
  GATE_DENY_MARGIN?: string;
  GATE_DENY_FLOOR?: string;
  GATE_COST_MARGIN?: string;
  GATE_MIN_DECISIONS?: string;
}
