// The approval gate (approvals/gate.ts) at the LLM proxy: what a needs_approval call files (what,
// why, cost, a request summary, the hash the grant is bound to). A granted call continues as an
// allow; a refusal is 403 approval_required with an x-approval-id header.
import type { ApprovalsEnv } from '../../durable/env';
import type { Decision } from '../../policy/types';
import type { Principal } from '../app-env';
import { approvalMessage, approvalTags, passApproval } from '../approvals/gate';
import { llmRequestHash } from '../approvals/request-hash';
import { grantedDecision, objectOr, promptTail } from '../approvals/steps';
import type { Admission } from './admit';
import type { EndpointAdapter } from './providers/types';
import type { Refusal } from './respond';

export interface ApprovalStep {
  /** Tags for the decision record. */
  tags: Record<string, string>;
  /** The granted Decision (an allow), when the grant applied. */
  granted?: Decision;
  /** The refusal, when it did not. */
  refusal?: Refusal;
}

export async function proxyApproval(env: ApprovalsEnv, principal: Principal, presented: string | undefined, adapter: EndpointAdapter, a: Admission, requestId: string): Promise<ApprovalStep> {
  const llm = objectOr(a.context.llm);
  const model = String(a.body.model);
  const gate = await passApproval(env, principal, presented, {
    what: `proxy ${adapter.provider} ${adapter.endpoint} ${model}`,
    why: a.decision.reasons,
    cost: typeof llm.estimatedCost === 'number' ? llm.estimatedCost : undefined,
    summary: { provider: adapter.provider, endpoint: adapter.endpoint, model, ...(typeof llm.maxTokens === 'number' ? { maxTokens: llm.maxTokens } : {}), prompt: promptTail(llm) },
    requestHash: await llmRequestHash(adapter.provider, adapter.endpoint, a.body),
    requestId,
    context: a.context,
  });
  const tags = approvalTags(gate);
  if (gate.granted) return { tags, granted: grantedDecision(a.decision) };
  const message = approvalMessage(a.decision.reasons, gate);
  return { tags, refusal: { status: 403, code: 'approval_required', message, outcome: 'needs_approval', headers: { 'x-approval-id': gate.approval.id } } };
}
