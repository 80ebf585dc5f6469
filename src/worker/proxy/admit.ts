// The request stage of a proxied call: read the provider body, build the context (the body's
// `llm`, agent headers, the client key's subject over them) and hand it to the worker's one
// decision stage (decision/decide.ts), as /v1/evaluate and MCP do.
import type { Context } from 'hono';
import type { EnrichmentKind } from '../../enrich/index';
import type { Decision, Evaluator } from '../../policy/types';
import type { AppEnv } from '../app-env';
import type { BundleRole } from '../decision/bundle-choice';
import type { BundleFacts } from '../decision/bundle-facts';
import { decide } from '../decision/decide';
import type { Limits } from '../decision/limits';
import { ApiError } from '../http/api-error';
import { readJsonBody } from '../http/read-json';
import { isObject } from './content';
import { requestContext } from './context';
import type { EndpointAdapter, Json } from './providers/types';

export interface Admission {
  body: Json;
  context: Record<string, unknown>;
  decision: Decision;
  role: BundleRole;
  evaluator?: Evaluator;
  facts?: BundleFacts;
  limits: Limits;
  /** The enrichments the serving bundle observes. */
  enrichment: EnrichmentKind[];
  enrichError?: string;
}

export async function admit(c: Context<AppEnv>, adapter: EndpointAdapter): Promise<Admission> {
  const body = await readProxyBody(c);
  const principal = c.get('principal');
  const base = requestContext(adapter, body, principal, c.req.raw.headers);
  const keyId = principal.kind === 'client' ? principal.keyId : undefined;
  const outcome = await decide(await c.get('bundles'), base, {
    requestId: c.get('requestId'),
    keyId,
    failOpen: c.get('config').failOpen,
    defaultMaxTokens: adapter.defaultOutputTokens,
    env: c.env,
  });
  const { context, decision, role, evaluator, facts, limits, enrichment, enrichError } = outcome;
  return { body, context, decision, role, evaluator, facts, limits, enrichment, enrichError };
}

async function readProxyBody(c: Context<AppEnv>): Promise<Json> {
  const body = await readJsonBody(c.req.raw, c.get('config').maxBodyBytes);
  if (!isObject(body)) throw new ApiError(400, 'invalid_request', 'the request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') throw new ApiError(400, 'invalid_request', 'model: required, a non-empty string');
  return body;
}
