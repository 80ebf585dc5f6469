// The rollout pointer (KV key `pointer`): which bundle versions serve, and in what share.
// Signed like a bundle, so a KV write alone cannot move traffic to another version.
import { z } from 'zod';
import { PolicyError } from '../policy/errors';
import type { BundleSignature } from '../policy/types';
import { got, isoDateTimeField, semverField, signatureField } from './fields';
import { describeIssue, schemaError } from './schema-error';
import { signDocument, verifyDocument, type VerifyFailureReason } from './sign';

export interface Pointer {
  stable: string;
  /** Required exactly when canaryPercent > 0. */
  canary?: string;
  /** Integer share of traffic (0..100) served by `canary`. */
  canaryPercent: number;
  /** Grows with every pointer move; the edge ignores a pointer older than the one it holds. */
  sequence: number;
  updatedAt: string;
  reason?: string;
  actor?: string;
  /** Per-rollout overrides of the promotion gates (src/rollout/thresholds.ts); absent: the worker's GATE_* vars. */
  gates?: PointerGates;
}

/** Gate thresholds a signed pointer may set for its canary; each absent one keeps the worker's value. */
export interface PointerGates {
  /** Canary error rate must stay below this fraction. */
  maxErrorRate?: number;
  /** Canary deny rate may exceed stable's by at most this relative margin (0.3 = 30%). */
  denyMargin?: number;
  /** Absolute slack on the deny rate, in fraction points (0.02 = 2 points). */
  denyFloor?: number;
  /** Canary estimated cost per request may exceed stable's by at most this relative margin. */
  costMargin?: number;
  /** Canary decisions needed before any verdict but insufficient_data. */
  minDecisions?: number;
}

export type SignedPointer = Pointer & { signature: BundleSignature };

export type PointerVerifyResult = { ok: true; pointer: SignedPointer } | { ok: false; reason: VerifyFailureReason; message: string };

const percentError = { error: (iss: { input?: unknown }) => `expected an integer from 0 to 100, got ${got(iss.input)}` };
const sequenceError = { error: (iss: { input?: unknown }) => `expected a non-negative integer, got ${got(iss.input)}` };

const fraction = z.number().min(0).max(1);
const margin = z.number().min(0).max(100);
const gatesSchema = z.strictObject({
  maxErrorRate: fraction.optional(),
  denyMargin: margin.optional(),
  denyFloor: fraction.optional(),
  costMargin: margin.optional(),
  minDecisions: z.number().int().min(1).max(1_000_000_000).optional(),
});

const pointerSchema = z
  .strictObject({
    stable: semverField,
    canary: semverField.optional(),
    canaryPercent: z.number(percentError).int(percentError).min(0, percentError).max(100, percentError),
    sequence: z.number(sequenceError).int(sequenceError).min(0, sequenceError),
    updatedAt: isoDateTimeField,
    reason: z.string().optional(),
    actor: z.string().optional(),
    gates: gatesSchema.optional(),
    signature: signatureField.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.canaryPercent > 0 && p.canary === undefined) {
      ctx.addIssue({ code: 'custom', path: ['canary'], message: `required when canaryPercent is ${p.canaryPercent}` });
    }
    if (p.canaryPercent === 0 && p.canary !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['canary'], message: 'must be absent when canaryPercent is 0' });
    }
  });

/**
 * Checks a `gates` object (what `publish --gates` / `promote --gates` take) with the pointer's own
 * schema: unknown fields and out-of-range values are refused. Throws PolicyError `input_error`,
 * one line naming the field. An empty object is `undefined` (no overrides).
 */
export function parseGates(json: unknown, subject = 'gates'): PointerGates | undefined {
  const result = gatesSchema.safeParse(json);
  if (!result.success) throw new PolicyError('input_error', describeIssue(result.error.issues[0], subject));
  return Object.keys(result.data).length > 0 ? result.data : undefined;
}

/** Checks a pointer's shape (signed or not). Throws PolicyError `bundle_error` naming the field. */
export function parsePointer(json: unknown, source?: string): Pointer {
  const result = pointerSchema.safeParse(json);
  if (!result.success) throw schemaError(result.error, 'pointer', source);
  return result.data;
}

/** Signs a pointer after checking its shape: an invalid pointer is never signed. */
export async function signPointer(p: Pointer, privateKey: string | CryptoKey, keyId?: string): Promise<SignedPointer> {
  const { signature: _old, ...pointer } = p as Pointer & { signature?: unknown };
  parsePointer(pointer);
  return signDocument(pointer, privateKey, keyId);
}

/** Verifies the signature, then the shape. Never throws. */
export async function verifyPointer(doc: unknown, publicKey: string | CryptoKey): Promise<PointerVerifyResult> {
  const verified = await verifyDocument(doc, publicKey);
  if (!verified.ok) return verified;
  const result = pointerSchema.safeParse(doc);
  if (!result.success) return { ok: false, reason: 'malformed', message: describeIssue(result.error.issues[0], 'pointer') };
  return { ok: true, pointer: result.data as SignedPointer };
}
