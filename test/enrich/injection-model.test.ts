import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUCKETS } from '../../src/enrich/injection/features';
import { decodeWeights } from '../../src/enrich/injection/model';
import { MODEL_PARAMS, MODEL_WEIGHTS_BASE64 } from '../../src/enrich/injection/model-data';
import manifest from '../../src/enrich/injection/model-manifest.json';

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

// CI does not train: these hold the shipped weights to what `npm run train:injection` recorded.
describe('shipped injection model', () => {
  it('has the weights the manifest names (sha256 of the int8 bytes)', () => {
    const weights = decodeWeights(MODEL_WEIGHTS_BASE64);
    expect(weights.length).toBe(BUCKETS);
    expect(sha256(new Uint8Array(weights.buffer))).toBe(manifest.weights.sha256);
  });

  it('has the scale, bias, stacker and threshold of the manifest', () => {
    expect(MODEL_PARAMS).toEqual(manifest.params);
    expect(MODEL_PARAMS.stacker.weights.length).toBe(manifest.stackFeatures.length);
  });

  it('was trained on the committed hand-written cases', () => {
    const cases = manifest.trainedFrom.sources.find((s) => s.path === 'data/injection/cases.jsonl');
    expect(cases?.sha256).toBe(sha256(readFileSync('data/injection/cases.jsonl')));
  });

  it('records figures for every public test split and the hand-written test split', () => {
    for (const split of ['test_bipia', 'test_notinject', 'test_injecguard', 'test_cases']) expect(Object.keys(manifest.metrics)).toContain(split);
  });

  it('refuses weights of the wrong length', () => {
    expect(() => decodeWeights(btoa('abc'))).toThrow(`injection model: expected ${BUCKETS} weights, got 3`);
  });
});
