// Request obligations (policy-language.md §5), applied to the body before it is forwarded:
//   set_max_tokens  clamps every max-tokens field the body uses (the lowest value wins), or sets
//                   the endpoint's field when the body has none
//   redact_pii      rewrites every prompt text (messages, system, input) with [REDACTED:TYPE]
//   route_model     replaces the model (the highest-priority one wins)
//   add_header      adds a header upstream (never one that carries auth or framing)
//   tag             labels the decision record
//   remove_tools    strips the named tools from the request's offer (and a tool_choice forcing one)
import { redactPII } from '../../enrich/index';
import type { Obligation } from '../../policy/types';
import { isProtectedHeader } from './headers';
import type { EndpointAdapter, Json } from './providers/types';
import { removeTools } from './tools';

export interface AppliedObligations {
  headers: Array<[string, string]>;
  tags: Record<string, string>;
  /** An obligation rewrote the body: the caller's original bytes can no longer be forwarded. */
  changed: boolean;
}

export function applyObligations(adapter: EndpointAdapter, body: Json, obligations: readonly Obligation[]): AppliedObligations {
  const applied: AppliedObligations = { headers: [], tags: {}, changed: false };
  let maxTokens: number | undefined;
  let redactTypes: Set<string> | 'all' | undefined;
  let model: string | undefined;
  const removeNames = new Set<string>();
  for (const o of obligations) {
    switch (o.type) {
      case 'set_max_tokens':
        maxTokens = maxTokens === undefined ? o.value : Math.min(maxTokens, o.value);
        break;
      case 'redact_pii':
        redactTypes = mergeTypes(redactTypes, o.types);
        break;
      case 'route_model':
        model ??= o.model;
        break;
      case 'add_header':
        if (!isProtectedHeader(o.name)) applied.headers.push([o.name, o.value]);
        break;
      case 'tag':
        applied.tags[o.key] = o.value;
        break;
      case 'remove_tools':
        for (const name of o.names) removeNames.add(name);
        break;
    }
  }
  if (removeNames.size > 0) {
    const removed = removeTools(body, removeNames);
    if (removed.length > 0) {
      applied.tags.tools_removed = removed.join(',');
      applied.changed = true;
    }
  }
  if (maxTokens !== undefined && clampMaxTokens(adapter, body, maxTokens)) applied.changed = true;
  if (redactTypes !== undefined) {
    const redact = redactorFor(redactTypes);
    adapter.redactRequest(body, (text) => {
      const out = redact(text);
      if (out !== text) applied.changed = true;
      return out;
    });
  }
  if (model !== undefined && body.model !== model) {
    body.model = model;
    applied.changed = true;
  }
  return applied;
}

/** The union of redact_pii types; an obligation without types means every type. */
export function mergeTypes(current: Set<string> | 'all' | undefined, types: readonly string[] | undefined): Set<string> | 'all' {
  if (current === 'all' || types === undefined) return 'all';
  const merged = new Set(current);
  for (const t of types) merged.add(t.toLowerCase());
  return merged;
}

export function redactorFor(types: Set<string> | 'all'): (text: string) => string {
  const list = types === 'all' ? undefined : [...types];
  return (text) => redactPII(text, list);
}

/** True when it changed the body. */
function clampMaxTokens(adapter: EndpointAdapter, body: Json, limit: number): boolean {
  const fields = adapter.maxTokensFields;
  let found = false;
  let changed = false;
  for (const field of fields) {
    const value = body[field];
    if (typeof value === 'number' && Number.isFinite(value)) {
      found = true;
      if (value > limit) {
        body[field] = limit;
        changed = true;
      }
    }
  }
  if (!found && fields.length > 0) {
    body[fields[0]] = limit;
    changed = true;
  }
  return changed;
}
