import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/bundle/canonical';
import { computeBundleHash, sha256Hex } from '../../src/bundle/hash';
import type { Bundle } from '../../src/policy/types';
import { clone, sampleBundle } from './sample';

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 "abc" vector', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes UTF-8 text the same as its bytes', async () => {
    const text = 'ünïcödé 😀';
    expect(await sha256Hex(text)).toBe(await sha256Hex(new TextEncoder().encode(text)));
    expect(await sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});

describe('computeBundleHash', () => {
  it('is sha256 of the canonical JSON without hash and signature', async () => {
    const bundle = await sampleBundle();
    const { hash: _h, ...content } = bundle;
    const expected = createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
    expect(bundle.hash).toBe(`sha256:${expected}`);
    expect(await computeBundleHash({ ...bundle, hash: 'sha256:whatever', signature: { alg: 'Ed25519', keyId: 'k', value: 'AA' } })).toBe(bundle.hash);
  });

  it('does not change with key order', async () => {
    const bundle = await sampleBundle();
    const reordered = JSON.parse(JSON.stringify(bundle, Object.keys(bundle).reverse().concat(allKeys(bundle.policies).reverse()))) as Bundle;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(bundle));
    expect(await computeBundleHash(reordered)).toBe(bundle.hash);
  });

  it('changes when any single letter or digit of the serialized content changes', async () => {
    const bundle = await sampleBundle();
    const { hash: _h, ...content } = bundle;
    const text = JSON.stringify(content);
    let tried = 0;
    for (let i = 0; i < text.length; i++) {
      const replacement = nextAlnum(text[i]);
      if (!replacement) continue;
      let edited: unknown;
      try {
        edited = JSON.parse(text.slice(0, i) + replacement + text.slice(i + 1));
      } catch {
        continue; // the edit broke the JSON (inside `true`, or a leading zero)
      }
      tried++;
      expect(await computeBundleHash(edited as Bundle), `edit at ${i}`).not.toBe(bundle.hash);
    }
    expect(tried).toBeGreaterThan(text.length / 2);
  });

  it('changes when a policy is reordered, added or removed', async () => {
    const bundle = await sampleBundle();
    const swapped = clone(bundle);
    swapped.policies.reverse();
    expect(await computeBundleHash(swapped)).not.toBe(bundle.hash);
    const fewer = clone(bundle);
    fewer.policies.pop();
    expect(await computeBundleHash(fewer)).not.toBe(bundle.hash);
  });
});

function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)]);
}

/** Another letter or digit in place of `ch`, or undefined for punctuation. */
function nextAlnum(ch: string): string | undefined {
  if (/[0-8a-yA-Y]/.test(ch)) return String.fromCharCode(ch.charCodeAt(0) + 1);
  if (ch === '9') return '8';
  if (ch === 'z' || ch === 'Z') return 'y';
  return undefined;
}
