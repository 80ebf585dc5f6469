// Agent sessions (spec §7): `x-agent-session` and `x-agent-step` become `agent.sessionId` and
// `agent.step`, on the proxy and on /v1/evaluate, so rules, budgets and rate limits can be scoped
// to one run of an agent (`scope: agent.sessionId`). The headers win over an `agent` object the
// caller put in an evaluate context: they are what the proxy sees too. A malformed header is a
// 400, not a silently missing field (a budget scoped on the session would not apply).
import { ApiError } from './api-error';

const MAX_SESSION_CHARS = 256;
const STEP = /^(?:0|[1-9][0-9]{0,8})$/;

export function withAgentHeaders(context: Record<string, unknown>, headers: Headers): Record<string, unknown> {
  const session = headers.get('x-agent-session');
  const step = headers.get('x-agent-step');
  if (session === null && step === null) return context;
  const agent: Record<string, unknown> = isObject(context.agent) ? { ...context.agent } : {};
  if (session !== null) {
    if (session === '' || session.length > MAX_SESSION_CHARS) {
      throw new ApiError(400, 'invalid_request', `x-agent-session: 1 to ${MAX_SESSION_CHARS} characters, got ${session.length}`);
    }
    agent.sessionId = session;
  }
  if (step !== null) {
    if (!STEP.test(step)) throw new ApiError(400, 'invalid_request', `x-agent-step: a non-negative integer, got ${JSON.stringify(step.slice(0, 40))}`);
    agent.step = Number(step);
  }
  return { ...context, agent };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
