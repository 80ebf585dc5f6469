// needs_approval as a workflow: a refusal files a pending request in the Approvals object and
// names its id; the caller's retry of the identical request with `x-approval-id: <id>` redeems
// the grant once an approver approved it. Shared by the LLM proxy, /v1/evaluate and /mcp.
//
//   no x-approval-id                      -> file a new request          -> refused (its id)
//   the id, approved, same request, fresh -> spent                       -> passes, once
//   the id, still pending, same request   -> nothing new                 -> refused (same id)
//   the id used, denied, expired, unknown or for another request -> file a new request -> refused
//     (the message says why the id did not apply)
import type { ApprovalInput, ApprovalRequest, ApprovalWho, RedeemRefusal, RedeemResult } from '../../durable/approval-types';
import { approvalsQueue } from '../../durable/approvals-client';
import type { ApprovalsEnv } from '../../durable/env';
import type { Principal } from '../app-env';

export const APPROVAL_HEADER = 'x-approval-id';
const MAX_ID_LENGTH = 64;

/** What the refusal files (approval-types.ts ApprovalInput), and the context it tells who asked from. */
export type ApprovalAsk = Omit<ApprovalInput, 'who'> & { context: Record<string, unknown> };

export type ApprovalOutcome =
  | { granted: true; approval: ApprovalRequest }
  | { granted: false; approval: ApprovalRequest; previous?: { id: string; reason: RedeemRefusal } };

export async function passApproval(env: ApprovalsEnv, principal: Principal, presented: string | undefined, ask: ApprovalAsk): Promise<ApprovalOutcome> {
  const queue = approvalsQueue(env);
  const who = whoOf(principal, ask.context);
  const id = presented?.trim().slice(0, MAX_ID_LENGTH);
  let previous: { id: string; reason: RedeemRefusal } | undefined;
  if (id) {
    // RPC's inferred types collapse unions of object results; the object returns exactly these.
    const redeemed = (await queue.redeem(id, who.keyId, ask.requestHash)) as RedeemResult;
    if (redeemed.ok) return { granted: true, approval: redeemed.request };
    if (redeemed.reason === 'pending' && redeemed.request?.requestHash === ask.requestHash) return { granted: false, approval: redeemed.request };
    previous = { id, reason: redeemed.reason };
  }
  const { context: _c, ...input } = ask;
  const approval = (await queue.file({ ...input, who }, seconds(env.APPROVAL_PENDING_SECONDS))) as ApprovalRequest;
  return { granted: false, approval, previous };
}

/** The refusal's text: the reasons, the approval id to have approved, and why a presented id did not apply. */
export function approvalMessage(reasons: string[], outcome: Extract<ApprovalOutcome, { granted: false }>): string {
  const { approval, previous } = outcome;
  const why = previous ? `; approval ${previous.id} was not applied: ${REFUSAL_TEXT[previous.reason]}` : '';
  return `approval required: ${reasons.join('; ')}${why}; approval id ${approval.id} (pending until ${approval.expiresAt}): once approved, retry the identical request with ${APPROVAL_HEADER}: ${approval.id}`;
}

/** Tags for the decision record of a request that met the approval gate. */
export function approvalTags(outcome: ApprovalOutcome): Record<string, string> {
  if (outcome.granted) return { approval: outcome.approval.id, approval_status: 'granted', ...(outcome.approval.decidedBy ? { approved_by: outcome.approval.decidedBy } : {}) };
  const tags: Record<string, string> = { approval: outcome.approval.id, approval_status: 'pending' };
  if (outcome.previous) Object.assign(tags, { approval_presented: outcome.previous.id, approval_refused: outcome.previous.reason });
  return tags;
}

/** The grant's lifetime after approval, in ms, from APPROVAL_TTL_SECONDS. */
export function grantTtlMs(env: ApprovalsEnv): number | undefined {
  return seconds(env.APPROVAL_TTL_SECONDS);
}

const REFUSAL_TEXT: Record<RedeemRefusal, string> = {
  not_found: 'no such approval for this key',
  pending: 'it was filed for a different request',
  denied: 'it was denied',
  used: 'it was already used (a grant passes one request)',
  expired: 'it expired',
  mismatch: 'it was granted for a different request',
};

function whoOf(principal: Principal, context: Record<string, unknown>): ApprovalWho {
  const who: ApprovalWho = { keyId: principal.kind === 'client' ? principal.keyId : 'admin' };
  const id = (field: string): string | undefined => {
    const v = (context[field] as { id?: unknown } | undefined)?.id;
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  };
  const userId = id('user');
  const teamId = id('team');
  const projectId = id('project');
  if (userId) who.userId = userId;
  if (teamId) who.teamId = teamId;
  if (projectId) who.projectId = projectId;
  return who;
}

function seconds(text: string | undefined): number | undefined {
  const n = Number(text);
  return text !== undefined && text.trim() !== '' && Number.isFinite(n) && n > 0 ? n * 1000 : undefined;
}
