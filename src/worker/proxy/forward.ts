// Sends the admitted request upstream and hands the answer to the JSON or the stream path.
import { answerOrStream } from './answer';
import { providerErrorResponse } from './errors';
import { NOTHING_USED } from './estimate';
import { conclude, type Exchange } from './exchange';
import { parseForwardHeaders, upstreamHeaders, type HeaderAllowlist } from './headers';
import { upstreamLatency } from './metrics';
import type { StreamReader } from './providers/types';
import { UpstreamDeadline, upstreamTimeoutMs, upstreamUrl, type ProviderTarget } from './upstream';
import { upstreamFailure } from './upstream-failure';
import { withPolicyHeaders } from './respond';

export interface ForwardRequest {
  target: ProviderTarget & { key: string };
  incoming: Request;
  extraHeaders: ReadonlyArray<[string, string]>;
  reader?: StreamReader;
}

export async function forward(ex: Exchange, f: ForwardRequest): Promise<Response> {
  const payload = serialize(ex);
  if (payload instanceof Response) return payload;
  const deadline = new UpstreamDeadline(upstreamTimeoutMs(ex.env), f.incoming.signal);
  const url = upstreamUrl(f.target.baseUrl, ex.adapter.path);
  const headers = upstreamHeaders(f.incoming.headers, {
    provider: ex.adapter.provider, providerKey: f.target.key, requestId: ex.requestId, extra: f.extraHeaders, allowed: forwardHeaders(ex.env),
  });
  const sent = performance.now();
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: payload, signal: deadline.signal });
  } catch (e) {
    deadline.stop();
    return upstreamFailure(ex, deadline.cause, e);
  }
  upstreamLatency.observe((performance.now() - sent) / 1000);
  return answerOrStream(ex, res, deadline, f.reader);
}

// The caller's own bytes when nothing changed the body. Otherwise serialised again; JSON.parse
// accepts nesting that JSON.stringify cannot write back (its stack runs out first): such a body
// cannot be forwarded, whatever the policy said.
function serialize(ex: Exchange): string | Uint8Array | Response {
  if (ex.rawBody) return ex.rawBody;
  try {
    return JSON.stringify(ex.admission.body);
  } catch {
    void conclude(ex, { outcome: 'allow', actual: NOTHING_USED, tags: { upstream: 'not_sent' }, error: true });
    const res = providerErrorResponse(ex.adapter.provider, 400, 'invalid_request', 'the request body is nested too deeply to forward');
    return withPolicyHeaders(res, 'allow', ex.admission.decision.bundle.version);
  }
}

// Vars do not change within an isolate's life: parse PROXY_FORWARD_HEADERS once per env object.
const forwardHeaderSets = new WeakMap<object, HeaderAllowlist>();
function forwardHeaders(env: Exchange['env']): HeaderAllowlist {
  let set = forwardHeaderSets.get(env);
  if (!set) forwardHeaderSets.set(env, (set = parseForwardHeaders(env.PROXY_FORWARD_HEADERS)));
  return set;
}
