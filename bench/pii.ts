// Precision and recall of each PII detector over the labelled sample, and scan throughput.
// Run: npx tsx bench/pii.ts [--mistakes]   (prints markdown)

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { detectPII } from '../src/enrich/pii';
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

// Throughput: all detectors over ~1 MB made of the sample's own strings, median of 7 runs.
const corpus = entries.map((e) => e.text).join('\n');
const megabyte = corpus.repeat(Math.ceil(1_000_000 / corpus.length)).slice(0, 1_000_000);
const runs: number[] = [];
for (let i = 0; i < 8; i++) {
  const start = performance.now();
  detectPII(megabyte);
  if (i > 0) runs.push(performance.now() - start); // the first run warms up the JIT
}
runs.sort((a, b) => a - b);
console.log(`\ndetectPII over 1 MB of sample text: median ${runs[3].toFixed(1)} ms (7 runs after one warm-up).`);

if (process.argv.includes('--mistakes')) {
  console.log('\nMistakes:');
  for (const m of mistakes) console.log(`${m.kind} ${m.type}: ${JSON.stringify(m.text)}`);
}
