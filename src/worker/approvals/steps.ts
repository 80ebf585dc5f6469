// The approval gate (gate.ts) at /v1/evaluate (the proxy's is proxy/approval.ts): what each files (what, why,
// cost, a request summary, the hash the grant is bound to) and what a granted or refused request
// turns into. A granted request continues as an allow; a refusal keeps needs_approval and names
// the approval id (403 approval_required with an x-approval-id header on the proxy; an `approval`
// object in the /v1/evaluate Decision).
import type { ApprovalsEnv } from '../../durable/env';
import { promptText } from '../../enrich/index';
import type { Decision } from '../../policy/types';
import type { Principal } from '../app-env';
import { approvalMessage, approvalTags, passApproval, type ApprovalOutcome } from './gate';
import { contextHash } from './request-hash';

const SUMMARY_TEXT_CHARS = 500;

/** /v1/evaluate: the grant is bound to the context as sent (with the key's subject over it). */
export async function evaluateApproval(env: ApprovalsEnv, principal: Principal, presented: string | undefined, sent: Record<string, unknown>, decision: Decision, evaluated: Record<string, unknown>, requestId: string): Promise<{ decision: Decision; tags: Record<string, string> }> {
  const llm = objectOr(evaluated.llm);
  const gate: ApprovalOutcome = await passApproval(env, principal, presented, {
    what: `evaluate${typeof llm.model === 'string' ? ` ${llm.model}` : ''}`,
    why: decision.reasons,
    cost: typeof llm.estimatedCost === 'number' ? llm.estimatedCost : undefined,
    summary: { ...(typeof llm.model === 'string' ? { model: llm.model } : {}), prompt: promptTail(llm) },
    requestHash: await contextHash(sent),
    requestId,
    context: evaluated,
  });
  const tags = approvalTags(gate);
  const approval = { id: gate.approval.id, status: gate.granted ? 'granted' : 'pending', expiresAt: gate.approval.expiresAt };
  if (gate.granted) return { decision: Object.assign(grantedDecision(decision), { approval }), tags };
  return { decision: Object.assign({ ...decision }, { approval: { ...approval, message: approvalMessage(decision.reasons, gate) } }), tags };
}

/** The needs_approval Decision a grant lets through: an allow, with its reasons kept. */
export function grantedDecision(decision: Decision): Decision {
  return { ...decision, decision: 'allow', allowed: true };
}

/** The prompt's last characters, for an approval's summary (empty when it cannot be read). */
export function promptTail(llm: Record<string, unknown>): string {
  return tail(safePrompt(llm));
}

function safePrompt(llm: Record<string, unknown>): string {
  try {
    return promptText(llm);
  } catch {
    return '';
  }
}

function tail(text: string): string {
  return text.length > SUMMARY_TEXT_CHARS ? `…${text.slice(-SUMMARY_TEXT_CHARS)}` : text;
}

export function objectOr(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
