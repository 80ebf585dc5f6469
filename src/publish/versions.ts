// Version rules for publishing: versions only move forward. A new version must be greater than
// every version already in KV (a rolled-back or abandoned canary version included), and the
// default is the highest version in KV with its patch + 1, which is the current stable's
// patch + 1 whenever the stable is the newest. An empty KV starts at 0.1.0.
import { compareSemver, isSemver } from '../bundle/index';
import { PolicyError } from '../policy/errors';
import { BUNDLE_KEY_PREFIX, type KvTarget } from './kv-target';

export const FIRST_VERSION = '0.1.0';

/** Versions of the `bundle:<version>` keys in KV, highest first. Non-semver keys are ignored. */
export async function listBundleVersions(target: KvTarget): Promise<string[]> {
  const keys = await target.list(BUNDLE_KEY_PREFIX);
  const versions = keys.map((key) => key.slice(BUNDLE_KEY_PREFIX.length)).filter((v) => isSemver(v));
  return versions.sort((a, b) => compareSemver(b, a));
}

/** Semver "increment patch": 1.2.3 → 1.2.4; a pre-release goes to its release, 1.3.0-rc.1 → 1.3.0. */
export function nextPatch(version: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)(-[^+]*)?/.exec(version);
  if (!match || !isSemver(version)) throw new PolicyError('input_error', `not a semver version: ${JSON.stringify(version)}`);
  const [, major, minor, patch, prerelease] = match;
  return prerelease ? `${major}.${minor}.${patch}` : `${major}.${minor}.${BigInt(patch) + 1n}`;
}

/**
 * The version to publish: `requested` if it is greater than everything in KV, else a refusal
 * naming what it is not greater than; without `requested`, the next patch after the highest.
 */
export function chooseVersion(requested: string | undefined, existing: string[], stable?: string): string {
  const highest = existing.reduce<string | undefined>((max, v) => (max === undefined || compareSemver(v, max) > 0 ? v : max), undefined);
  if (requested === undefined) return highest === undefined ? FIRST_VERSION : nextPatch(highest);
  if (!isSemver(requested)) throw new PolicyError('input_error', `version ${JSON.stringify(requested)} is not a semver version (expected e.g. 1.4.0)`);
  if (highest !== undefined && compareSemver(requested, highest) <= 0) {
    const what = highest === stable ? `the current stable ${highest}` : `${highest}, already in KV`;
    throw new PolicyError('input_error', `version ${requested} is not greater than ${what}`);
  }
  return requested;
}
