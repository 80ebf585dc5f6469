// The context a request is evaluated against: the caller's, with a client key's subject laid
// over it (the key is authoritative for who is asking); the admin token's contexts are used as
// given. Enrichment follows in decide.ts, once the serving bundle is known.
import type { Principal } from '../app-env';
import { applySubject } from '../auth/subject';

export function withPrincipal(context: Record<string, unknown>, principal: Principal): Record<string, unknown> {
  return principal.kind === 'client' ? applySubject(context, principal.subject) : context;
}
