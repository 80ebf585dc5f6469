// The upstream call failed before an answer arrived (or while reading it):
//   timeout      504 upstream_timeout; the provider may have done (and billed) the work, so
//                the reserved estimate stays as the spend
//   client gone  the caller will not read an answer; the estimate stays as the spend for the
//                same reason
//   otherwise    502 upstream_unreachable; nothing reached a model, nothing is spent
import { log } from '../log';
import { providerErrorResponse } from './errors';
import { NOTHING_USED } from './estimate';
import { conclude, type Exchange } from './exchange';
import { withPolicyHeaders } from './respond';
import type { AbortCause } from './upstream';

// nginx's "client closed request": nobody reads it, but the access log shows what happened.
const CLIENT_CLOSED = 499;

export async function upstreamFailure(ex: Exchange, cause: AbortCause | undefined, error: unknown): Promise<Response> {
  const provider = ex.adapter.provider;
  const version = ex.admission.decision.bundle.version;
  if (cause === 'timeout') {
    void conclude(ex, { outcome: 'allow', tags: { upstream: 'timeout' }, error: true });
    return withPolicyHeaders(providerErrorResponse(provider, 504, 'upstream_timeout', 'the upstream model did not answer within the time limit'), 'allow', version);
  }
  if (cause === 'client') {
    void conclude(ex, { outcome: 'allow', tags: { upstream: 'client_gone' } });
    return withPolicyHeaders(providerErrorResponse(provider, CLIENT_CLOSED, 'client_closed', 'the client closed the request'), 'allow', version);
  }
  // The detail may name internal hosts: the log keeps it, the caller gets the code.
  log('error', 'upstream_unreachable', { requestId: ex.requestId, provider, error: error instanceof Error ? error.message : String(error) });
  void conclude(ex, { outcome: 'allow', actual: NOTHING_USED, tags: { upstream: 'unreachable' }, error: true });
  return withPolicyHeaders(providerErrorResponse(provider, 502, 'upstream_unreachable', 'the upstream model could not be reached'), 'allow', version);
}
