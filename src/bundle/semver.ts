// Semantic versions (semver.org 2.0.0): bundle versions only move forward.
import { PolicyError } from '../policy/errors';

// The grammar from semver.org: no leading zeros, dot-separated pre-release and build parts.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const NUMERIC = /^\d+$/;

export function isSemver(text: unknown): text is string {
  return typeof text === 'string' && SEMVER.test(text);
}

/**
 * Semver precedence: negative when a < b, 0 when equal, positive when a > b. Build metadata
 * (`+...`) is ignored; a pre-release ranks below its release. Invalid versions throw.
 */
export function compareSemver(a: string, b: string): number {
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) {
    const order = compareNumeric(x.core[i], y.core[i]);
    if (order !== 0) return order;
  }
  return comparePrerelease(x.prerelease, y.prerelease);
}

function parse(version: string): { core: string[]; prerelease: string[] } {
  const match = typeof version === 'string' ? SEMVER.exec(version) : null;
  if (!match) throw new PolicyError('bundle_error', `not a semver version: ${JSON.stringify(version)} (expected e.g. 1.4.0 or 2.0.0-rc.1)`);
  return { core: [match[1], match[2], match[3]], prerelease: match[4] ? match[4].split('.') : [] };
}

function comparePrerelease(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareIdentifier(a[i], b[i]);
    if (order !== 0) return order;
  }
  return Math.sign(a.length - b.length);
}

// Numeric identifiers rank below alphanumeric ones; alphanumerics compare in ASCII order.
function compareIdentifier(a: string, b: string): number {
  const [aNum, bNum] = [NUMERIC.test(a), NUMERIC.test(b)];
  if (aNum && bNum) return compareNumeric(a, b);
  if (aNum !== bNum) return aNum ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// Digit strings without leading zeros: longer is larger, so any size compares exactly.
function compareNumeric(a: string, b: string): number {
  if (a.length !== b.length) return Math.sign(a.length - b.length);
  return a < b ? -1 : a > b ? 1 : 0;
}
