// The context a request is evaluated against: the caller's, with a client key's subject laid
// over it (the key is authoritative for who is asking), then enriched (token counts, cost, PII,
// time) where the caller left fields out. The admin token's contexts are used as given.
import { enrich } from '../../enrich/index';
import type { Principal } from '../app-env';
import { applySubject } from '../auth/subject';

export function prepareContext(context: Record<string, unknown>, principal: Principal): Record<string, unknown> {
  const withSubject = principal.kind === 'client' ? applySubject(context, principal.subject) : context;
  return enrich(withSubject) as Record<string, unknown>;
}
