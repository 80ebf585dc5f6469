// Field schemas the bundle envelope and the rollout pointer share.
import { z } from 'zod';
import { isSemver } from './semver';

const MAX_SHOWN = 60;

/** A short description of a bad value for error messages: `"1.4"`, `42`, `an object`, `nothing`. */
export function got(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'object' && input !== null) return 'an object';
  const text = JSON.stringify(input) ?? typeof input;
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

export const semverField = z.string({ error: (iss) => `expected a semver version string, got ${got(iss.input)}` })
  .refine(isSemver, { error: (iss) => `expected a semver version like 1.4.0, got ${got(iss.input)}` });

export const isoDateTimeField = z.iso.datetime({ offset: true, error: (iss) => `expected an ISO 8601 date-time like 2026-11-22T10:00:00Z, got ${got(iss.input)}` });

export const signatureField = z.strictObject({
  alg: z.literal('Ed25519', { error: (iss) => `expected "Ed25519", got ${got(iss.input)}` }),
  keyId: z.string().min(1, { error: 'expected a non-empty key id' }),
  value: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'expected base64url text' }),
}, { error: (iss) => `expected {alg, keyId, value}, got ${got(iss.input)}` });
