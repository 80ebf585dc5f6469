// The BudgetCounter object of one (limit, scope value).
import type { BudgetCounter } from './budget-counter';
import type { BudgetsEnv } from './env';
import { counterName, type LimitKind } from './reservation-id';

// Stubs are not cached per isolate: workerd refuses a stub made in another request's handler
// ("Cannot perform I/O on behalf of a different request", I/O type OutgoingFactory).
export function counterStub(env: BudgetsEnv, kind: LimitKind, limitId: string, scopeValue: string): DurableObjectStub<BudgetCounter> {
  return env.BUDGETS.get(env.BUDGETS.idFromName(counterName(kind, limitId, scopeValue)));
}
