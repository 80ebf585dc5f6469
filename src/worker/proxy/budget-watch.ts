// Budgets during a stream. The reservation held the estimate (prompt + max output tokens); a
// request that sets no maximum can stream far past it. The watch counts the output as it flows
// and stops the stream once its cost (or tokens) would pass what the budget has left: the
// request's own reservation plus the budget's remaining amount, read once when the stream starts
// (off the hot path, while the first bytes flow), or when this isolate holds a lease on the
// budget, what the lease may still spend (no call). Concurrent requests share that remainder, so
// the bound is approximate, like every estimate (spec §6).
import type { Amounts } from '../../durable/amounts';
import { budgetSnapshot, budgetSpec } from '../../durable/budgets-client';
import type { BudgetsEnv } from '../../durable/env';
import { isolateLeases, type LeaseHolder } from '../../durable/lease-holder';
import { scopeValueOf } from '../../durable/scope';
import type { Budget } from '../../policy/types';
import type { Estimate } from './estimate';
import type { Usage } from './providers/types';

export interface Allowance {
  costUsd?: number;
  tokens?: number;
}

// Count tokens in batches: the tokenizer per SSE delta would cost more than the stream.
const COUNT_EVERY_CHARS = 256;

export async function streamAllowance(env: BudgetsEnv, budgets: readonly Budget[], context: object, estimate: Estimate, leases: LeaseHolder = isolateLeases): Promise<Allowance | undefined> {
  const enforced = budgets.filter((b) => (b.onExceed ?? 'deny') === 'deny' && (b.limit.costUsd !== undefined || b.limit.tokens !== undefined));
  if (enforced.length === 0) return undefined;
  // A budget this isolate holds a lease on needs no counter call: what the lease may still spend.
  const remainders: Amounts[] = [];
  const unleased: Budget[] = [];
  for (const b of enforced) {
    const scopeValue = scopeValueOf(context, b.scope);
    const spendable = scopeValue === undefined ? undefined : leases.spendable({ kind: 'budget', limitId: b.id, scopeValue, spec: budgetSpec(b) });
    if (spendable) remainders.push(spendable);
    else unleased.push(b);
  }
  if (unleased.length > 0) for (const entry of Object.values(await budgetSnapshot(env, unleased, context))) remainders.push(entry.remaining);
  const allowance: Allowance = {};
  for (const remaining of remainders) {
    const cost = remaining.costUsd;
    if (cost !== undefined) allowance.costUsd = Math.min(allowance.costUsd ?? Infinity, cost + (estimate.costUsd ?? 0));
    const tokens = remaining.tokens;
    if (tokens !== undefined) allowance.tokens = Math.min(allowance.tokens ?? Infinity, tokens + estimate.inputTokens + estimate.outputTokens);
  }
  return allowance;
}

export class BudgetWatch {
  private allowance: Allowance | undefined;
  private counted = 0;
  private pending = '';

  constructor(
    private readonly inputTokens: number,
    private readonly countTokens: (text: string) => number,
    private readonly costOf: (usage: Usage) => number | undefined,
  ) {}

  setAllowance(allowance: Allowance | undefined): void {
    this.allowance = allowance;
  }

  add(text: string): void {
    this.pending += text;
  }

  /** A message saying what ran out, once the output so far passes the allowance. */
  exceeded(final = false): string | undefined {
    const allowance = this.allowance;
    if (!allowance) return undefined;
    if (this.pending.length >= COUNT_EVERY_CHARS || (final && this.pending)) {
      this.counted += this.countTokens(this.pending);
      this.pending = '';
    }
    const usage = { inputTokens: this.inputTokens, outputTokens: this.counted };
    if (allowance.tokens !== undefined && usage.inputTokens + usage.outputTokens > allowance.tokens) {
      return `budget exhausted mid-stream: ${usage.inputTokens + usage.outputTokens} tokens used of ${allowance.tokens} left`;
    }
    const cost = this.costOf(usage);
    if (allowance.costUsd !== undefined && cost !== undefined && cost > allowance.costUsd) {
      return `budget exhausted mid-stream: $${round(cost)} used of $${round(allowance.costUsd)} left`;
    }
    return undefined;
  }
}

function round(usd: number): string {
  return String(Math.round(usd * 1e6) / 1e6);
}
