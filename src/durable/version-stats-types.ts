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

/** Spec §10 evidence for flipping a shadow rule to enforce: what one flush adds for one version. */
export interface ShadowDelta {
  /** Decisions of the version (every one of a bundle with shadow rules counts, matched or not). */
  decisions: number;
  /** Epoch ms of the first and last of them. */
  firstMs: number;
  lastMs: number;
  rules: Array<{ rule: string; decision: string; hits: number; teams: Record<string, number>; users: Record<string, number> }>;
}

export interface SubjectCount {
  id: string;
  hits: number;
}

export interface ShadowRuleStats {
  /** `policyId/ruleId`. */
  rule: string;
  /** What it would have decided. */
  decision: string;
  hits: number;
  /** hits / decisions of the version. */
  rate: number;
  lastSeen: string;
  /** The teams and users it would have hit most, at most SHADOW_SUBJECTS each; the rest in `other*`. */
  teams: SubjectCount[];
  users: SubjectCount[];
  otherTeamHits: number;
  otherUserHits: number;
}

export interface ShadowStats {
  version: string;
  decisions: number;
  since: string | null;
  /** Most hits first. */
  rules: ShadowRuleStats[];
}
