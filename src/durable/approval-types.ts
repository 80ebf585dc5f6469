// The approval queue's shapes: what a refusal files, what an approver sees, what a retry redeems.
// Times are epoch ms inside the object and ISO 8601 in what it answers.

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'used' | 'expired';

/** Who asked: the client key and the identity its subject vouches for. */
export interface ApprovalWho {
  keyId: string;
  userId?: string;
  teamId?: string;
  projectId?: string;
}

export interface ApprovalInput {
  who: ApprovalWho;
  /** One line: `mcp github tools/call create_issue`, `proxy openai chat.completions gpt-4o` ... */
  what: string;
  /** The deciding rules' reasons. */
  why: string[];
  /** Estimated USD, when known. */
  cost?: number;
  /** The tool call ({server, tool, arguments}) or a request summary ({provider, endpoint, model ...}). */
  summary: Record<string, unknown>;
  /** sha256 hex of the canonical request the grant is bound to (approval-hash.ts). */
  requestHash: string;
  /** The request id of the refusal that filed it. */
  requestId: string;
}

export interface ApprovalRequest extends ApprovalInput {
  id: string;
  status: ApprovalStatus;
  createdAt: string;
  /** Pending: until when it can be decided. Approved: until when the grant can be redeemed. */
  expiresAt: string;
  decidedAt?: string;
  decidedBy?: string;
  note?: string;
  usedAt?: string;
}

export type DecideResult =
  | { ok: true; request: ApprovalRequest }
  | { ok: false; reason: 'not_found' | 'not_pending' | 'expired' | 'self_approval'; request?: ApprovalRequest };

/** Why a redeem failed: the grant is unknown, not approved (yet or ever), spent, stale or for another request. */
export type RedeemRefusal = 'not_found' | 'pending' | 'denied' | 'used' | 'expired' | 'mismatch';

export type RedeemResult = { ok: true; request: ApprovalRequest } | { ok: false; reason: RedeemRefusal; request?: ApprovalRequest };

/** A pending request waits this long for a person (default). */
export const DEFAULT_PENDING_TTL_MS = 24 * 60 * 60_000;
/** An approved grant can be redeemed this long after the approval (default 15 minutes). */
export const DEFAULT_GRANT_TTL_MS = 15 * 60_000;
