// Decision records: what the worker and proxy hand to recordDecision, what is stored, and how
// records are queried. Times: epoch ms or ISO 8601 in, ISO 8601 out.
import type { MatchedRule, ShadowMatch } from '../policy/types';

// mcp: the MCP proxy; approval: an approver's approve or deny (routes/approvals.ts).
export type DecisionSource = 'evaluate' | 'proxy' | 'mcp' | 'approval';

export interface DecisionSubject {
  userId?: string;
  teamId?: string;
  projectId?: string;
}

/** Set when evaluation or enrichment failed and a rule's onError (or the default) decided. */
export interface DecisionErrorInfo {
  mode: 'deny' | 'allow';
  message: string;
  rules?: string[];
}

export interface DecisionRecordInput {
  requestId: string;
  /** When the decision was made (default: now). */
  time?: number | string;
  source: DecisionSource;
  /** allow | deny | needs_approval, or a proxy outcome such as budget_exceeded or rate_limited. */
  decision: string;
  /** Default: user.id, team.id and project.id of `context`. */
  subject?: DecisionSubject;
  /** `policyId/ruleId` of the rules that decided. */
  decidingRules?: string[];
  matchedRules?: Array<MatchedRule | string>;
  /** Decision.shadow: the shadow rules that would have matched (spec §10). */
  shadow?: ShadowMatch[];
  bundle?: { version: string; hash: string } | null;
  reasons?: string[];
  /** The Decision's warnings (warn rules, budgets on onExceed: warn ...), as their messages. */
  warnings?: string[];
  estimatedCostUsd?: number;
  actualCostUsd?: number;
  latencyMs?: number;
  onError?: DecisionErrorInfo;
  tags?: Record<string, string>;
  /** The prompt text: only its SHA-256 and size are kept unless STORE_PROMPTS=true. */
  prompt?: string;
  /** The request context: kept without prompts (unless STORE_PROMPTS=true), MASK_FIELDS masked. */
  context?: object;
}

export interface StoredPrompt {
  sha256: string;
  bytes: number;
  /** Only with STORE_PROMPTS=true. */
  text?: string;
}

export interface DecisionRecord {
  /**
   * Minted by the worker when it builds the record: unique, and what the log is keyed, sharded
   * and paged by. A caller cannot choose it, so no request can overwrite another's record.
   */
  id: string;
  /** The request's id as its caller sees it in x-request-id (theirs, if they sent one): not unique. */
  requestId: string;
  time: string;
  source: DecisionSource;
  decision: string;
  subject: DecisionSubject;
  decidingRules: string[];
  matchedRules: Array<MatchedRule | string>;
  /** Present when the bundle had shadow rules: those that would have matched, in rule order. */
  shadow?: ShadowMatch[];
  bundle: { version: string; hash: string } | null;
  reasons: string[];
  /** Present when the caller was warned: the warnings' messages (masked as reasons are). */
  warnings?: string[];
  estimatedCostUsd?: number;
  actualCostUsd?: number;
  latencyMs?: number;
  onError?: DecisionErrorInfo;
  tags: Record<string, string>;
  prompt?: StoredPrompt;
  context?: Record<string, unknown>;
  /** Why `context` is absent although one was given. */
  contextOmitted?: 'too_large';
}

export interface DecisionFilter {
  /** Inclusive lower bound on time. */
  since?: number | string;
  /** Exclusive upper bound on time. */
  until?: number | string;
  decision?: string;
  team?: string;
  user?: string;
  /** `policyId/ruleId` or a bare rule id: records where it matched or decided. */
  rule?: string;
  bundleVersion?: string;
  /** Page size, 1..1000 (default 100). */
  limit?: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
}

export interface DecisionPage {
  records: DecisionRecord[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** The position after which a page starts: records are ordered by time desc, then id asc. */
export interface DecisionPosition {
  timeMs: number;
  id: string;
}

/** What one DecisionLog shard is asked: the filter resolved to numbers, one page of it. */
export interface ShardQuery {
  sinceMs?: number;
  untilMs?: number;
  decision?: string;
  team?: string;
  user?: string;
  rule?: string;
  bundleVersion?: string;
  limit: number;
  after?: DecisionPosition;
}
