// Quality gate: every detector keeps precision and recall ≥ 0.95 on the labelled sample
// (bench/fixtures/pii-sample.jsonl, which bench/pii.ts reports on).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PII_TYPES } from '../../src/enrich/index';
import { scorePiiSample, type PiiSampleEntry } from '../../src/enrich/pii-score';

const samplePath = fileURLToPath(new URL('../../bench/fixtures/pii-sample.jsonl', import.meta.url));
const entries = readFileSync(samplePath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as PiiSampleEntry);

describe('PII sample', () => {
  it('is large enough and labels every type', () => {
    expect(entries.length).toBeGreaterThanOrEqual(300);
    expect(entries.filter((e) => e.types.length === 0).length).toBeGreaterThanOrEqual(150);
    for (const type of PII_TYPES) expect(entries.some((e) => e.types.includes(type)), type).toBe(true);
    for (const e of entries) for (const t of e.types) expect(PII_TYPES).toContain(t);
  });

  const { perType, mistakes } = scorePiiSample(entries);
  it.each(perType.map((row) => [row.type, row] as const))('%s: precision and recall ≥ 0.95', (type, row) => {
    const wrong = mistakes.filter((m) => m.type === type).map((m) => `${m.kind}: ${m.text}`);
    expect(row.precision, wrong.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(row.recall, wrong.join('\n')).toBeGreaterThanOrEqual(0.95);
  });
});
