// Whether `promote` may move the canary, pure: from what the worker reported (or why it could not
// be asked), the canary being promoted, and --force/--reason. Shared by the CLI and its tests.
import type { GateReport } from './gates';
import type { RolloutView } from './view';

/** The worker's GET /v1/rollout answer, or why there is none. */
export type GateSource = { ok: true; url: string; view: RolloutView } | { ok: false; url: string; problem: string };

export interface PromotionInput {
  /** The canary the signed pointer in KV names (the one being promoted). */
  canary: string;
  source: GateSource;
  force: boolean;
  reason?: string;
}

export type PromotionDecision =
  | { allow: true; forced: boolean; message: string; report?: GateReport }
  | { allow: false; message: string; report?: GateReport };

export function decidePromotion(input: PromotionInput): PromotionDecision {
  const { source, canary } = input;
  const report = source.ok && source.view.canary === canary ? (source.view.gates ?? undefined) : undefined;
  if (input.force) {
    if (!input.reason?.trim()) return { allow: false, message: '--force needs --reason "why": an override of the gates is recorded in the history', report };
    return { allow: true, forced: true, message: `gates overridden with --force (${input.reason.trim()})`, report };
  }
  const override = 'or override with --force --reason "why"';
  if (!source.ok) return { allow: false, message: `cannot read the rollout gates from ${source.url}: ${source.problem} (${override})` };
  const view = source.view;
  if (view.canary !== canary) {
    // KV is eventually consistent: the worker may still see the pointer before the last move.
    return { allow: false, message: `the worker at ${source.url} reports canary ${view.canary ?? 'none'}, but the pointer names ${canary} (KV takes up to a minute to propagate); retry, ${override}` };
  }
  if (view.killSwitch.state === 'active') {
    const k = view.killSwitch.killSwitch;
    return { allow: false, message: `canary ${canary} was stopped automatically at ${k.stoppedAt} (${k.reason}); roll back, ${override}`, report };
  }
  if (!report) return { allow: false, message: `the worker at ${source.url} reported no gates for canary ${canary}; ${override}` };
  if (report.verdict === 'pass') return { allow: true, forced: false, message: 'every gate passes', report };
  const failing = report.rows.filter((r) => !r.pass).map((r) => r.gate);
  return { allow: false, message: `gates verdict ${report.verdict} (${failing.join(', ')}); ${override}`, report };
}
