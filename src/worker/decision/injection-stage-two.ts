// Stage two of injection detection in the decision path (see src/enrich/injection/second-stage.ts):
// when a request's stage-one `llm.injectionScore` falls in the uncertain band, ask the configured
// classifier, within a timeout, and let its score stand for the request.
//
// - Off unless INJECTION_STAGE2 is `http` or `workers-ai`; runs only when the bundle reads the
//   injection fields (the enrichment plan computed a score) and the caller sent no score itself.
// - On an answer: `llm.injectionScore` becomes stage two's score, `llm.injectionSignals` gains
//   `stage2:<classifier>`, `llm.injectionStages` keeps both scores, and Workers AI's Llama Guard
//   verdict lands in `llm.safety` ({safe, categories[]}).
// - On a failure (timeout, error answer, misconfiguration): `llm.injectionStages.error` says why,
//   and every rule that reads `llm.injectionScore` fails with that message, so its own `onError`
//   decides (deny rules deny by default; `onError: allow` treats the rule as not matched).
import { promptText } from '../../enrich/prompt-text';
import {
  classifyWithin, httpClassifier, restAiRunner, workersAiClassifier, type AiRunner, type InjectionClassifier,
} from '../../enrich/injection/second-stage';

/** Stage two's settings: INJECTION_STAGE2* and the AI binding (worker env-extra.d.ts). */
export type StageTwoEnv = Pick<Env, 'AI' | `INJECTION_STAGE2${string}` & keyof Env>;

export const DEFAULT_BAND: readonly [number, number] = [0.35, 0.75];
export const DEFAULT_TIMEOUT_MS = 300;

interface Plan {
  band: readonly [number, number];
  timeoutMs: number;
  classifier?: InjectionClassifier;
  /** Why no classifier could be built from the settings. */
  misconfigured?: string;
  name: string;
}

function parseBand(text: string | undefined): readonly [number, number] | undefined {
  if (text === undefined || text.trim() === '') return DEFAULT_BAND;
  const m = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(text);
  const [low, high] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  return low >= 0 && high <= 1 && low <= high ? [low, high] : undefined;
}

function workersAiRunner(env: StageTwoEnv): AiRunner | undefined {
  if (env.INJECTION_STAGE2_AI_URL) return restAiRunner(env.INJECTION_STAGE2_AI_URL, env.INJECTION_STAGE2_AI_TOKEN ?? '');
  const ai = env.AI;
  // The binding takes no abort signal: the timeout still ends the wait (classifyWithin).
  return ai ? { run: (model, inputs) => ai.run(model, inputs) } : undefined;
}

function planOf(env: StageTwoEnv): Plan | undefined {
  const kind = env.INJECTION_STAGE2;
  if (kind !== 'http' && kind !== 'workers-ai') return undefined;
  const timeout = Number(env.INJECTION_STAGE2_TIMEOUT_MS);
  const timeoutMs = env.INJECTION_STAGE2_TIMEOUT_MS && Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS;
  const band = parseBand(env.INJECTION_STAGE2_BAND);
  // A broken band cannot say which scores are due: every scored request fails, loudly.
  const plan = { band: band ?? ([0, 1] as const), timeoutMs, name: kind };
  if (!band) return { ...plan, misconfigured: `INJECTION_STAGE2_BAND: expected "low-high" within 0..1, got "${env.INJECTION_STAGE2_BAND}"` };
  if (kind === 'http') {
    if (!env.INJECTION_STAGE2_URL) return { ...plan, misconfigured: 'INJECTION_STAGE2_URL: required for INJECTION_STAGE2=http' };
    return { ...plan, classifier: httpClassifier(env.INJECTION_STAGE2_URL, env.INJECTION_STAGE2_TOKEN) };
  }
  const runner = workersAiRunner(env);
  if (!runner) return { ...plan, misconfigured: 'INJECTION_STAGE2=workers-ai needs the AI binding (or INJECTION_STAGE2_AI_URL)' };
  return { ...plan, classifier: workersAiClassifier(runner, { judgeModel: env.INJECTION_STAGE2_JUDGE_MODEL, guardModel: env.INJECTION_STAGE2_GUARD_MODEL }) };
}

// Vars do not change within an isolate's life: one plan per env object.
const plans = new WeakMap<object, Plan | null>();

function cachedPlan(env: StageTwoEnv): Plan | undefined {
  let plan = plans.get(env);
  if (plan === undefined) {
    plan = planOf(env) ?? null;
    plans.set(env, plan);
  }
  return plan ?? undefined;
}

export interface StagedContext {
  context: Record<string, unknown>;
  /** Stage two was due and failed: rules reading `llm.injectionScore` follow their onError. */
  failure?: string;
}

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `enriched` with stage two's verdict when its stage-one score is in the band (`sent` is the context before enrichment). */
export async function withStageTwo(sent: Fields, enriched: Fields, env: StageTwoEnv): Promise<StagedContext> {
  const plan = cachedPlan(env);
  const llm = enriched.llm;
  if (!plan || !isObject(llm) || typeof llm.injectionScore !== 'number') return { context: enriched };
  if (isObject(sent.llm) && sent.llm.injectionScore !== undefined && sent.llm.injectionScore !== null) return { context: enriched };
  const stage1 = llm.injectionScore;
  if (stage1 < plan.band[0] || stage1 > plan.band[1]) return { context: enriched };
  const signals = Array.isArray(llm.injectionSignals) ? llm.injectionSignals : [];
  if (!plan.classifier) return failed(enriched, llm, stage1, plan.name, plan.misconfigured!);
  try {
    const verdict = await classifyWithin(plan.classifier, promptText(llm), plan.timeoutMs);
    const score = Math.round(verdict.score * 1000) / 1000;
    const next: Fields = {
      ...llm,
      injectionScore: score,
      injectionSignals: [...signals, `stage2:${plan.name}`],
      injectionStages: { stage1, stage2: score, classifier: plan.name },
    };
    if (verdict.safety && !isObject(llm.safety)) next.safety = verdict.safety;
    return { context: { ...enriched, llm: next } };
  } catch (e) {
    return failed(enriched, llm, stage1, plan.name, e instanceof Error ? e.message : String(e));
  }
}

function failed(enriched: Fields, llm: Fields, stage1: number, name: string, message: string): StagedContext {
  const error = `injection stage two (${name}) failed: ${message}`;
  return { context: { ...enriched, llm: { ...llm, injectionStages: { stage1, classifier: name, error } } }, failure: error };
}

/**
 * The context the rules see: `context` itself, or, after a failed stage two, a copy whose
 * `llm.injectionScore` throws when read, so the engine applies each reading rule's onError.
 * The record keeps the plain context (stage one's score and the error).
 */
export function evaluationView(staged: StagedContext): Fields {
  const { context, failure } = staged;
  if (!failure || !isObject(context.llm)) return context;
  const llm = { ...context.llm };
  Object.defineProperty(llm, 'injectionScore', {
    enumerable: true,
    get() {
      throw new Error(failure);
    },
  });
  return { ...context, llm };
}
