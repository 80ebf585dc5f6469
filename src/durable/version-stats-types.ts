// Per bundle version, per minute counters that feed the rollout gates.

export interface StatsDelta {
  /** allow | deny | needs_approval, or a proxy outcome such as budget_exceeded. */
  outcome: string;
  /** Decisions (default 1). */
  count?: number;
  /** Of those, how many failed (evaluation or upstream error; default 0). */
  errors?: number;
  estimatedCostUsd?: number;
}

export interface StatsTotals {
  count: number;
  errors: number;
  estimatedCostUsd: number;
  byOutcome: Record<string, number>;
}

export interface MinuteStats extends StatsTotals {
  /** Start of the minute, epoch ms. */
  minute: number;
}

export interface VersionWindow extends StatsTotals {
  version: string;
  sinceMs: number;
  /** Ascending by minute. */
  minutes: MinuteStats[];
}
