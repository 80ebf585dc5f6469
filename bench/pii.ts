// Precision and recall of each PII detector over the labelled sample.
// Run: npx tsx bench/pii.ts   (prints a markdown table)

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scorePiiSample, type PiiSampleEntry } from '../src/enrich/pii-score';

const samplePath = fileURLToPath(new URL('./fixtures/pii-sample.jsonl', import.meta.url));
const entries: PiiSampleEntry[] = readFileSync(samplePath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as PiiSampleEntry);

const { perType, mistakes } = scorePiiSample(entries);
const fmt = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));

console.log(`Sample: ${entries.length} strings, ${entries.filter((e) => e.types.length === 0).length} without PII.\n`);
console.log('| type | TP | FP | FN | precision | recall |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const row of perType) {
  console.log(`| ${row.type} | ${row.tp} | ${row.fp} | ${row.fn} | ${fmt(row.precision)} | ${fmt(row.recall)} |`);
}
if (process.argv.includes('--mistakes')) {
  console.log('\nMistakes:');
  for (const m of mistakes) console.log(`${m.kind} ${m.type}: ${JSON.stringify(m.text)}`);
}
