// One context of /v1/evaluate from request to answer: the worker's decision stage
// (decision/decide.ts), the approval step for a needs_approval, then the budget step for an
// allowed request (decision/budgets.ts), folded into what the caller gets; plus what the
// decision record needs.
import type { DurableEnv } from '../../durable/env';
import type { ActiveBundles } from '../bundle/loader';
import type { BundleRole } from '../decision/bundle-choice';
import { assessBudgets } from '../decision/budgets';
import { withVerdict, type BudgetRefusal, type BudgetsMode, type EvaluateResult } from '../decision/budget-verdict';
import { decide, type Outcome } from '../decision/decide';

export interface PipelineInput {
  requestId: string;
  keyId?: string;
  explain?: boolean;
  budgets: BudgetsMode;
  failOpen: boolean;
  /** Makes a needs_approval a workflow (approvals/steps.ts): a granted retry becomes an allow. */
  approve?: (outcome: Outcome) => Promise<{ decision: Outcome['decision']; tags: Record<string, string> }>;
}

export interface Evaluated {
  result: EvaluateResult;
  /** The policy's own Decision (before any budget refusal), for the record. */
  policy: Outcome['decision'];
  role: BundleRole;
  /** The context as evaluated, with the estimate's fields when the budget step ran. */
  context: Record<string, unknown>;
  refusal?: BudgetRefusal;
  /** Record tags of the approval step, when it ran. */
  tags?: Record<string, string>;
  enrichError?: string;
}

export async function evaluateContext(env: DurableEnv, active: ActiveBundles | undefined, context: Record<string, unknown>, input: PipelineInput): Promise<Evaluated> {
  const { requestId, keyId } = input;
  let outcome = await decide(active, context, { explain: input.explain, requestId, keyId, failOpen: input.failOpen, env });
  let tags: Record<string, string> | undefined;
  if (input.approve && outcome.decision.decision === 'needs_approval') {
    const approved = await input.approve(outcome);
    outcome = { ...outcome, decision: approved.decision };
    tags = approved.tags;
  }
  const assessed = await assessBudgets(env, outcome, input.budgets, { requestId, keyId });
  return {
    result: withVerdict(outcome.decision, assessed.verdict),
    policy: outcome.decision,
    role: outcome.role,
    context: assessed.context,
    refusal: assessed.verdict?.refusal,
    tags,
    enrichError: outcome.enrichError,
  };
}
