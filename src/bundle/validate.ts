// The bundle envelope of spec §8. Policies inside are checked by the policy schema elsewhere.
import { z } from 'zod';
import { PolicyError } from '../policy/errors';
import type { Bundle } from '../policy/types';
import { got, isoDateTimeField, semverField, signatureField } from './fields';
import { schemaError } from './schema-error';

export { compareSemver, isSemver } from './semver';

export const BUNDLE_FORMAT = 'llm-policy-bundle/v1';

const bundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT, { error: (iss) => `expected "${BUNDLE_FORMAT}", got ${got(iss.input)}` }),
  version: semverField,
  createdAt: isoDateTimeField,
  defaultDecision: z.enum(['allow', 'deny'], { error: (iss) => `expected "allow" or "deny", got ${got(iss.input)}` }),
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: (iss) => `expected "sha256:" and 64 lower-case hex digits, got ${got(iss.input)}` }),
  policies: z.array(z.unknown(), { error: (iss) => `expected an array of policies, got ${got(iss.input)}` }),
  signature: signatureField.optional(),
}, { error: (iss) => `expected a JSON object, got ${got(iss.input)}` });

/**
 * Checks the envelope of a bundle (a parsed value, or JSON text) and returns it typed.
 * Throws a PolicyError `bundle_error` naming the first bad field; `source` becomes its `file`.
 * Verifies nothing: call verifyBundle for the hash and signature.
 */
export function parseBundle(json: unknown, source?: string): Bundle {
  const value = typeof json === 'string' ? parseJsonText(json, source) : json;
  const result = bundleSchema.safeParse(value);
  if (!result.success) throw schemaError(result.error, 'bundle', source);
  return result.data as Bundle;
}

function parseJsonText(text: string, source?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new PolicyError('bundle_error', `bundle is not JSON: ${e instanceof Error ? e.message : String(e)}`, { file: source });
  }
}
