// One context of /v1/evaluate from request to answer: the policy decision (decide.ts), then the
// budget step for an allowed request (budgets.ts), folded into what the caller gets; plus what
// the decision record needs.
import type { DurableEnv } from '../../durable/env';
import type { ActiveBundles } from '../bundle/loader';
import { assessBudgets } from './budgets';
import { withVerdict, type BudgetRefusal, type BudgetsMode, type EvaluateResult } from './budget-verdict';
import { decide, type BundleRole, type Outcome } from './decide';

export interface PipelineInput {
  requestId: string;
  keyId?: string;
  explain?: boolean;
  budgets: BudgetsMode;
  failOpen: boolean;
}

export interface Evaluated {
  result: EvaluateResult;
  /** The policy's own Decision (before any budget refusal), for the record. */
  policy: Outcome['decision'];
  role: BundleRole;
  /** The context as evaluated, with the estimate's fields when the budget step ran. */
  context: Record<string, unknown>;
  refusal?: BudgetRefusal;
}

export async function evaluateContext(env: DurableEnv, active: ActiveBundles | undefined, context: Record<string, unknown>, input: PipelineInput): Promise<Evaluated> {
  const { requestId, keyId } = input;
  const outcome = await decide(active, context, { explain: input.explain, requestId, keyId, failOpen: input.failOpen, env });
  const assessed = await assessBudgets(env, outcome, input.budgets, { requestId, keyId });
  return {
    result: withVerdict(outcome.decision, assessed.verdict),
    policy: outcome.decision,
    role: outcome.role,
    context: assessed.context,
    refusal: assessed.verdict?.refusal,
  };
}
