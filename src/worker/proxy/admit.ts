// The request stage: read the provider body, build the context, pick the bundle for the
// caller's tenant (canary-aware, as /v1/evaluate does), enrich what that bundle observes, show
// budget state to conditions when the bundle reads it, and evaluate.
import type { Context } from 'hono';
import type { EnrichmentKind } from '../../enrich/index';
import type { Budget, Decision, Evaluator, RateLimit } from '../../policy/types';
import type { AppEnv } from '../app-env';
import { cachedBudgetSnapshot } from '../evaluate/budget-cache';
import { chooseBundle, noPolicyDecision, type BundleRole } from '../evaluate/decide';
import { enrichmentFor } from '../evaluate/enrich-plan';
import { evaluationView, withStageTwo } from '../evaluate/injection-stage-two';
import { ApiError } from '../http/api-error';
import { readJsonBody } from '../http/read-json';
import { factsOf, limitsFor, type BundleFacts } from './bundle-facts';
import { isObject } from './content';
import { enrichRequest, requestContext } from './context';
import { durable } from './durable';
import type { EndpointAdapter, Json } from './providers/types';

export interface Admission {
  body: Json;
  context: Record<string, unknown>;
  decision: Decision;
  role: BundleRole;
  evaluator?: Evaluator;
  facts?: BundleFacts;
  limits: { budgets: Budget[]; rateLimits: RateLimit[] };
  /** The enrichments the serving bundle observes. */
  enrichment: EnrichmentKind[];
  enrichError?: string;
}

export async function admit(c: Context<AppEnv>, adapter: EndpointAdapter): Promise<Admission> {
  const body = await readProxyBody(c);
  const principal = c.get('principal');
  const requestId = c.get('requestId');
  const base = requestContext(adapter, body, principal, c.req.raw.headers);
  const keyId = principal.kind === 'client' ? principal.keyId : undefined;
  const chosen = chooseBundle(await c.get('bundles'), base, keyId);
  if (!chosen) {
    const decision = noPolicyDecision(c.get('config').failOpen, requestId);
    return { body, context: base, decision, role: 'none', limits: { budgets: [], rateLimits: [] }, enrichment: [] };
  }
  const enrichment = enrichmentFor(chosen.evaluator.bundle);
  const enriched = enrichRequest(base, enrichment, adapter);
  const staged = await withStageTwo(base, enriched.context, c.env);
  const { context } = staged;
  const { enrichError } = enriched;
  const facts = factsOf(chosen.evaluator);
  const limits = limitsFor(facts, context);
  // Budget state costs a counter read per budget: only for bundles whose conditions read it, and
  // through the isolate's 1 s cache (budget-cache.ts), as /v1/evaluate does. The reserve after
  // admission is exact (the counter's own), and drops these counters' cached state (budget-hold.ts).
  const read = limits.budgets.filter((b) => facts.budgetsRead.has(b.id));
  if (read.length > 0) context.budget = await cachedBudgetSnapshot(durable(c.env), read, context);
  const decision = evaluateSafely(chosen.evaluator, evaluationView(staged), requestId);
  return { body, context, enrichError, decision, role: chosen.role, evaluator: chosen.evaluator, facts, limits, enrichment };
}

async function readProxyBody(c: Context<AppEnv>): Promise<Json> {
  const body = await readJsonBody(c.req.raw, c.get('config').maxBodyBytes);
  if (!isObject(body)) throw new ApiError(400, 'invalid_request', 'the request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') throw new ApiError(400, 'invalid_request', 'model: required, a non-empty string');
  return body;
}

// The engine turns a failing rule into its onError; anything else failing is an engine bug,
// and the request is denied rather than let through unchecked.
function evaluateSafely(evaluator: Evaluator, context: Record<string, unknown>, requestId: string): Decision {
  try {
    return evaluator.evaluate(context, { requestId });
  } catch (e) {
    const message = `policy evaluation failed: ${e instanceof Error ? e.message : String(e)}`;
    return {
      decision: 'deny',
      allowed: false,
      reasons: [message],
      matchedRules: [],
      warnings: [],
      obligations: [],
      bundle: { version: evaluator.bundle.version, hash: evaluator.bundle.hash },
      evaluationMicros: 0,
      requestId,
      errors: [{ policyId: '', ruleId: '', message, onError: 'deny' }],
    };
  }
}
