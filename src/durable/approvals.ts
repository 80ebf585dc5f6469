import { DurableObject } from 'cloudflare:workers';
import {
  DEFAULT_GRANT_TTL_MS,
  DEFAULT_PENDING_TTL_MS,
  type ApprovalInput,
  type ApprovalRequest,
  type ApprovalStatus,
  type DecideResult,
  type RedeemResult,
} from './approval-types';

/**
 * The queue of `needs_approval` requests: one object for the whole deployment (approvals are
 * filed by people-paced refusals, not by every request).
 *
 * The invariant: a grant is redeemed at most once, only by the key that filed it, only for the
 * request whose hash it was filed with, and only before it expires. `redeem` reads and marks the
 * row in one synchronous SQLite step (no await in between, as in BudgetCounter), so two
 * concurrent retries with the same approval id cannot both pass.
 *
 * A pending request expires when nobody decided it in time; an approved one when its grant was
 * not used in time. Rows are kept a week past their expiry, for the list and for clear refusals.
 */
export class Approvals extends DurableObject<unknown> {
  /** Epoch ms. Tests swap it with `runInDurableObject`; RPC exposes methods, not fields. */
  private clock: () => number = () => Date.now();
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
  }

  /** Files a pending request; `pendingTtlMs` is how long it waits for a person. */
  async file(input: ApprovalInput, pendingTtlMs = DEFAULT_PENDING_TTL_MS): Promise<ApprovalRequest> {
    checkInput(input);
    const now = this.clock();
    this.sql.exec('DELETE FROM approvals WHERE expires_at < ?', now - KEEP_AFTER_EXPIRY_MS);
    const request: ApprovalRequest = {
      ...input,
      id: `apr_${hex(crypto.getRandomValues(new Uint8Array(12)))}`,
      status: 'pending',
      createdAt: iso(now),
      expiresAt: iso(now + positive(pendingTtlMs, DEFAULT_PENDING_TTL_MS)),
    };
    this.write(request);
    return request;
  }

  /** Requests in one status (default pending), oldest first, at most `limit`. */
  async list(status: ApprovalStatus = 'pending', limit = 100): Promise<ApprovalRequest[]> {
    this.expireDue(this.clock());
    const rows = this.sql.exec('SELECT body FROM approvals WHERE status = ? ORDER BY created_at, id LIMIT ?', status, Math.max(1, Math.min(limit, 1000))).toArray();
    return rows.map((r) => JSON.parse(String(r.body)) as ApprovalRequest);
  }

  async get(id: string): Promise<ApprovalRequest | null> {
    return this.read(id, this.clock());
  }

  /**
   * Approves or denies a pending request. An approval starts the grant's own clock
   * (`grantTtlMs`). `byKeyId` is the approver's key: nobody approves their own request.
   */
  async decide(id: string, verdict: 'approve' | 'deny', by: { name: string; keyId?: string }, note?: string, grantTtlMs = DEFAULT_GRANT_TTL_MS): Promise<DecideResult> {
    const now = this.clock();
    const request = this.read(id, now);
    if (!request) return { ok: false, reason: 'not_found' };
    if (request.status === 'expired') return { ok: false, reason: 'expired', request };
    if (request.status !== 'pending') return { ok: false, reason: 'not_pending', request };
    if (by.keyId !== undefined && by.keyId === request.who.keyId) return { ok: false, reason: 'self_approval', request };
    const decided: ApprovalRequest = {
      ...request,
      status: verdict === 'approve' ? 'approved' : 'denied',
      decidedAt: iso(now),
      decidedBy: by.name,
      ...(note ? { note } : {}),
      expiresAt: verdict === 'approve' ? iso(now + positive(grantTtlMs, DEFAULT_GRANT_TTL_MS)) : request.expiresAt,
    };
    this.write(decided);
    return { ok: true, request: decided };
  }

  /** Spends the grant `id` for the request of `keyId` hashing to `requestHash` (see the invariant). */
  async redeem(id: string, keyId: string, requestHash: string): Promise<RedeemResult> {
    const now = this.clock();
    const request = this.read(id, now);
    // Another key's approval id is as good as unknown: its existence is not the caller's business.
    if (!request || request.who.keyId !== keyId) return { ok: false, reason: 'not_found' };
    if (request.status !== 'approved') return { ok: false, reason: request.status === 'pending' ? 'pending' : (request.status as 'denied' | 'used' | 'expired'), request };
    if (request.requestHash !== requestHash) return { ok: false, reason: 'mismatch', request };
    const used: ApprovalRequest = { ...request, status: 'used', usedAt: iso(now) };
    this.write(used);
    return { ok: true, request: used };
  }

  private read(id: string, now: number): ApprovalRequest | null {
    const row = this.sql.exec('SELECT body FROM approvals WHERE id = ?', id).toArray()[0];
    if (!row) return null;
    const request = JSON.parse(String(row.body)) as ApprovalRequest;
    if ((request.status === 'pending' || request.status === 'approved') && Date.parse(request.expiresAt) <= now) {
      const expired: ApprovalRequest = { ...request, status: 'expired' };
      this.write(expired);
      return expired;
    }
    return request;
  }

  private expireDue(now: number): void {
    const due = this.sql.exec("SELECT id FROM approvals WHERE status IN ('pending', 'approved') AND expires_at <= ?", now).toArray();
    for (const row of due) this.read(String(row.id), now);
  }

  private write(r: ApprovalRequest): void {
    this.sql.exec(
      'INSERT OR REPLACE INTO approvals (id, status, created_at, expires_at, body) VALUES (?, ?, ?, ?, ?)',
      r.id,
      r.status,
      Date.parse(r.createdAt),
      Date.parse(r.expiresAt),
      JSON.stringify(r),
    );
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS approvals (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS approvals_status ON approvals (status, created_at);
CREATE INDEX IF NOT EXISTS approvals_expiry ON approvals (expires_at);
`;

const KEEP_AFTER_EXPIRY_MS = 7 * 24 * 60 * 60_000;

function checkInput(input: ApprovalInput): void {
  if (typeof input.who?.keyId !== 'string' || input.who.keyId === '') throw new TypeError('approval: who.keyId is required');
  if (!/^[0-9a-f]{64}$/.test(input.requestHash)) throw new TypeError('approval: requestHash must be a sha256 hex digest');
}

function positive(ms: number, fallback: number): number {
  return Number.isFinite(ms) && ms > 0 ? ms : fallback;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
