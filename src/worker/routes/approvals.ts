// GET  /v1/approvals[?status=pending|approved|denied|used|expired&limit=N] -> {approvals: [...]}
// POST /v1/approvals/:id/approve {note?} -> {approval}     POST /v1/approvals/:id/deny {note?}
//
// For the admin token or a client key whose subject has the `approver` role (user.roles). An
// approver cannot decide a request their own key filed. Each approve and deny is a decision record
// (source `approval`), so the log shows who granted or refused what, beside the refusal itself.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { ApprovalRequest, ApprovalStatus, DecideResult } from '../../durable/approval-types';
import { approvalsQueue } from '../../durable/approvals-client';
import type { ApprovalsEnv, DecisionsEnv } from '../../durable/env';
import type { AppEnv } from '../app-env';
import { grantTtlMs } from '../approvals/gate';
import { ApiError } from '../http/api-error';
import { readJsonBody } from '../http/read-json';
import { validate } from '../http/validate';
import { waitUntilOf } from '../http/wait-until';
import { requireClient } from '../middleware/auth';
import { recordDecisionLater } from '../recording/decisions';

export const APPROVER_ROLE = 'approver';
const STATUSES = ['pending', 'approved', 'denied', 'used', 'expired'] as const;
const decideBody = z.strictObject({ note: z.string().max(2000).optional() });

type Env = ApprovalsEnv & DecisionsEnv;

export const approvals = new Hono<AppEnv>();

approvals.use(requireClient(), async (c, next) => {
  const p = c.get('principal');
  const roles = p.kind === 'client' ? (p.subject.user?.roles ?? []) : [];
  if (p.kind !== 'admin' && !roles.includes(APPROVER_ROLE)) {
    throw new ApiError(403, 'forbidden', `the approval queue needs the admin token or a key with the ${APPROVER_ROLE} role`);
  }
  await next();
});

approvals.get('/', async (c) => {
  const status = c.req.query('status') ?? 'pending';
  if (!(STATUSES as readonly string[]).includes(status)) throw new ApiError(400, 'invalid_request', `status: expected one of ${STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
  const limitText = c.req.query('limit');
  const limit = limitText === undefined ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ApiError(400, 'invalid_request', 'limit: expected an integer from 1 to 1000');
  const list = (await approvalsQueue(env(c)).list(status as ApprovalStatus, limit)) as ApprovalRequest[];
  return c.json({ approvals: list });
});

approvals.post('/:id/approve', (c) => decide(c, 'approve'));
approvals.post('/:id/deny', (c) => decide(c, 'deny'));

async function decide(c: Context<AppEnv>, verdict: 'approve' | 'deny'): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const { note } = validate(decideBody, await optionalJson(c));
  const p = c.get('principal');
  const by = p.kind === 'admin' ? { name: 'admin' } : { name: p.subject.user?.id ?? p.keyId, keyId: p.keyId };
  // RPC's inferred types collapse unions of object results; the object returns exactly this.
  const result = (await approvalsQueue(env(c)).decide(id, verdict, by, note, grantTtlMs(env(c)))) as DecideResult;
  if (!result.ok) {
    if (result.reason === 'not_found') throw new ApiError(404, 'not_found', `no approval with id ${id}`);
    if (result.reason === 'self_approval') throw new ApiError(403, 'forbidden', 'an approver cannot decide a request their own key filed');
    throw new ApiError(409, 'conflict', `approval ${id} is ${result.request?.status}; only a pending request can be decided`);
  }
  record(c, result.request, verdict);
  Object.assign(c.get('logFields'), { approval: id, verdict });
  return c.json({ approval: result.request });
}

function record(c: Context<AppEnv>, a: ApprovalRequest, verdict: 'approve' | 'deny'): void {
  const { who } = a;
  recordDecisionLater(env(c), waitUntilOf(c) ?? (() => undefined), {
    requestId: c.get('requestId'),
    source: 'approval',
    decision: verdict === 'approve' ? 'approval_granted' : 'approval_denied',
    subject: { ...(who.userId ? { userId: who.userId } : {}), ...(who.teamId ? { teamId: who.teamId } : {}), ...(who.projectId ? { projectId: who.projectId } : {}) },
    reasons: a.why,
    estimatedCostUsd: a.cost,
    tags: { approval: a.id, decided_by: a.decidedBy ?? '', approval_for: a.requestId, what: a.what, ...(a.note ? { note: a.note } : {}) },
  });
}

async function optionalJson(c: Context<AppEnv>): Promise<unknown> {
  const length = c.req.header('content-length');
  if (!c.req.raw.body || length === '0') return {};
  return readJsonBody(c.req.raw, c.get('config').maxBodyBytes);
}

// The worker's Env declares the namespaces without their classes; the bindings are these.
function env(c: Context<AppEnv>): Env {
  return c.env;
}
