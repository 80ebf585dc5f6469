// The reason a budget or rate-limit refusal is recorded with: its own, naming the limit, rather
// than the policy's ("no rule matched: default allow") for the allow it overturned.
export type LimitRefusalCode = 'budget_exceeded' | 'rate_limited' | 'budget_unavailable';

export function refusalReason(code: LimitRefusalCode, limitId: string): string {
  if (code === 'rate_limited') return `rate limit "${limitId}" exceeded`;
  if (code === 'budget_unavailable') return `budget "${limitId}" unavailable`;
  return `budget "${limitId}" exhausted`;
}
