// Reaching the one Approvals object (approvals.ts): the refusals file into it, the retries redeem
// from it, the approvers' routes list and decide.
import type { Approvals } from './approvals';
import type { ApprovalsEnv } from './env';

export const APPROVALS_NAME = 'approvals';

export function approvalsQueue(env: ApprovalsEnv): DurableObjectStub<Approvals> {
  return env.APPROVALS.get(env.APPROVALS.idFromName(APPROVALS_NAME));
}
