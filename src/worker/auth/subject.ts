// Who a client key speaks for. Merged into every context evaluated with that key.
import { z } from 'zod';
import { isPlainObject as isObject } from '../../policy/schema-helpers';

const id = z.string().min(1).max(256);
const text = z.string().max(1024);

export const subjectSchema = z
  .strictObject({
    user: z.looseObject({ id, email: text.optional(), roles: z.array(text).optional() }).optional(),
    team: z.looseObject({ id, name: text.optional(), tier: text.optional() }).optional(),
    project: z.looseObject({ id, name: text.optional(), environment: text.optional() }).optional(),
  })
  .refine((s) => s.user || s.team || s.project, { message: 'needs at least one of user, team, project' });

export type Subject = z.output<typeof subjectSchema>;

/** What a caller may say about an identity its key does not vouch for: who, never what they may do. */
const ASSERTABLE: Readonly<Record<'user' | 'team' | 'project', readonly string[]>> = {
  user: ['id', 'email', 'name'],
  team: ['id', 'name'],
  project: ['id', 'name'],
};

/**
 * The context a client key may evaluate. The key is authoritative for who is asking:
 * - each identity object its subject defines (user, team, project) replaces the caller's object
 *   of that name entirely, so a caller cannot add roles or a tier to an identity the key vouches for;
 * - for an identity it leaves out, the caller may still name who (a team key evaluating for its
 *   users sends `user.id`), but privileges (`user.roles`, `team.tier`, `project.environment` and
 *   any other field) only a key can grant: they move to `claimed.<object>`;
 * - the namespace comes from the key: a caller-sent `metadata.namespace` moves to
 *   `claimed.metadata.namespace`, so no caller can step out of namespaced policies.
 */
export function applySubject(context: Record<string, unknown>, subject: Subject): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...context };
  const claimed: Record<string, unknown> = isObject(context.claimed) ? { ...context.claimed } : {};
  for (const field of ['user', 'team', 'project'] as const) {
    const value = subject[field];
    // A copy, so nothing downstream can change the cached key record.
    if (value) merged[field] = copyIdentity(value);
    else if (isObject(context[field])) {
      const [named, asserted] = split(context[field] as Record<string, unknown>, ASSERTABLE[field]);
      merged[field] = named;
      if (Object.keys(asserted).length > 0) claimed[field] = asserted;
    }
  }
  if (isObject(context.metadata) && context.metadata.namespace !== undefined) {
    const { namespace, ...rest } = context.metadata as Record<string, unknown>;
    merged.metadata = rest;
    claimed.metadata = { ...(isObject(claimed.metadata) ? claimed.metadata : {}), namespace };
  }
  if (Object.keys(claimed).length > 0) merged.claimed = claimed;
  return merged;
}

function split(value: Record<string, unknown>, keep: readonly string[]): [Record<string, unknown>, Record<string, unknown>] {
  const named: Record<string, unknown> = {};
  const asserted: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) (keep.includes(k) ? named : asserted)[k] = v;
  return [named, asserted];
}

function copyIdentity(value: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) copy[k] = Array.isArray(v) ? [...v] : v;
  return copy;
}
