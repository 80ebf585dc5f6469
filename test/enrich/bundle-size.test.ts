// The worker must stay under the Workers 3 MiB (gzip) script limit, and enrichment carries the
// two BPE rank tables. This guards against importing gpt-tokenizer's main entry (every
// encoding) or another large dependency by accident.

import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../src/enrich/index.ts', import.meta.url));
const MIB = 1024 * 1024;

it('bundles src/enrich for a neutral platform with only the o200k and cl100k rank tables, under 2 MiB gzip', async () => {
  const result = await build({ entryPoints: [entry], bundle: true, platform: 'neutral', format: 'esm', minify: true, write: false, metafile: true, mainFields: ['module', 'main'], logLevel: 'silent' });
  const inputs = Object.keys(result.metafile.inputs);
  const rankTables = inputs.filter((path) => path.includes('gpt-tokenizer/esm/bpeRanks/')).map((path) => path.split('/').pop()).sort();
  expect(rankTables).toEqual(['cl100k_base.js', 'o200k_base.js']);
  expect(inputs.filter((path) => path.startsWith('node:'))).toEqual([]);
  const gzipped = gzipSync(result.outputFiles[0].contents).length;
  expect(gzipped).toBeLessThan(2 * MIB);
}, 60_000);
