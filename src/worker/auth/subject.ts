// Who a client key speaks for. Merged into every context evaluated with that key.
import { z } from 'zod';

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

/**
 * The context a client key may evaluate: each identity object the key's subject defines (user,
 * team, project) replaces the caller's object of that name entirely, so a caller cannot add roles
 * or a tier to an identity the key vouches for. Objects the subject leaves out stay as sent (a
 * team key may evaluate on behalf of its users).
 */
export function applySubject(context: Record<string, unknown>, subject: Subject): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...context };
  for (const field of ['user', 'team', 'project'] as const) {
    const value = subject[field];
    // A copy, so nothing downstream can change the cached key record.
    if (value) merged[field] = copyIdentity(value);
  }
  return merged;
}

function copyIdentity(value: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) copy[k] = Array.isArray(v) ? [...v] : v;
  return copy;
}
