// POST /v1/evaluate {context, explain?} -> Decision
// POST /v1/evaluate/batch {contexts: [...], explain?} -> {decisions: [...]}
//
// With no verified bundle the answer is HTTP 503 whose body is both a Decision (deny, reason
// "no verified policy bundle") and an error `no_policy`: a caller that only reads `allowed` stays
// safe, and one that checks the status sees an outage rather than a policy verdict.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Decision, FinalDecision } from '../../policy/types';
import type { AppEnv } from '../app-env';
import { withPrincipal } from '../evaluate/context';
import { decide, NO_POLICY_REASON, type Outcome } from '../evaluate/decide';
import { ApiError, errorBody } from '../http/api-error';
import { readJsonBody } from '../http/read-json';
import { validate } from '../http/validate';
import { decisionsTotal, evaluateLatency } from '../metrics/index';
import { requireClient } from '../middleware/auth';
import { prefetchBundles } from '../middleware/prefetch-bundles';

export const MAX_BATCH_CONTEXTS = 100;

const evaluateBody = z.strictObject({ context: z.looseObject({}), explain: z.boolean().optional() });
const batchBody = z.strictObject({ contexts: z.array(z.looseObject({})).min(1), explain: z.boolean().optional() });

export const evaluate = new Hono<AppEnv>();

evaluate.use(prefetchBundles(), requireClient());

evaluate.post('/', async (c) => {
  const started = performance.now();
  const body = validate(evaluateBody, await readJsonBody(c.req.raw, c.get('config').maxBodyBytes));
  const outcomes = await decideAll(c, [body.context], body.explain, () => c.get('requestId'));
  const { decision } = outcomes[0];
  evaluateLatency.observe((performance.now() - started) / 1000);
  return respond(c, decision, decision.decision, [decision.bundle.version], { ...decision });
});

evaluate.post('/batch', async (c) => {
  const started = performance.now();
  const raw = await readJsonBody(c.req.raw, c.get('config').maxBodyBytes);
  const count = isObject(raw) && Array.isArray(raw.contexts) ? raw.contexts.length : 0;
  if (count > MAX_BATCH_CONTEXTS) {
    throw new ApiError(413, 'payload_too_large', `contexts: at most ${MAX_BATCH_CONTEXTS} per batch, got ${count}`);
  }
  const body = validate(batchBody, raw);
  const requestId = c.get('requestId');
  const outcomes = await decideAll(c, body.contexts, body.explain, (i) => `${requestId}.${i}`);
  const decisions = outcomes.map((o) => o.decision);
  evaluateLatency.observe((performance.now() - started) / 1000);
  const versions = [...new Set(decisions.map((d) => d.bundle.version))];
  return respond(c, decisions[0], strictest(decisions), versions, { decisions });
});

async function decideAll(c: Context<AppEnv>, contexts: Record<string, unknown>[], explain: boolean | undefined, idOf: (i: number) => string): Promise<Outcome[]> {
  const config = c.get('config');
  const principal = c.get('principal');
  const active = await c.get('bundles');
  const keyId = principal.kind === 'client' ? principal.keyId : undefined;
  return contexts.map((context, i) => {
    const outcome = decide(active, withPrincipal(context, principal), { explain, requestId: idOf(i), keyId, failOpen: config.failOpen });
    decisionsTotal.inc({ decision: outcome.decision.decision, bundle: outcome.role });
    return outcome;
  });
}

function respond(c: Context<AppEnv>, first: Decision | undefined, headline: FinalDecision, versions: string[], body: Record<string, unknown>): Response {
  c.header('x-policy-decision', headline);
  c.header('x-policy-bundle', versions.join(','));
  Object.assign(c.get('logFields'), { decision: headline, bundleVersion: versions.join(',') });
  const noPolicy = first?.bundle.version === 'none' && !c.get('config').failOpen;
  if (noPolicy) return c.json({ ...body, ...errorBody('no_policy', `${NO_POLICY_REASON}: denying (set FAIL_OPEN=true to allow instead)`) }, 503);
  return c.json(body);
}

/** The batch headline: deny if any is deny, else needs_approval if any, else allow. */
function strictest(decisions: Decision[]): FinalDecision {
  if (decisions.some((d) => d.decision === 'deny')) return 'deny';
  if (decisions.some((d) => d.decision === 'needs_approval')) return 'needs_approval';
  return 'allow';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
