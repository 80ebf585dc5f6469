#!/usr/bin/env node
// Builds the worker exactly as `wrangler deploy` would (--dry-run: no account, no upload) and fails
// if the gzip size of what would be uploaded exceeds the Workers limit we hold ourselves to (3 MiB).
// The Policy Studio's assets are built first (wrangler needs the [assets] folder) and held to
// their own budget (300 KiB gzip of JS and CSS; scripts/build-studio.mjs fails above it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildStudio } from './build-studio.mjs';

const LIMIT_BYTES = 3 * 1024 * 1024;
try {
  await buildStudio();
} catch (e) {
  console.error(`check-worker-size: ${e.message}`);
  process.exit(1);
}
const outdir = mkdtempSync(join(tmpdir(), 'worker-size-'));

try {
  const build = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  if (build.status !== 0) {
    process.stderr.write(build.stdout + build.stderr);
    console.error('check-worker-size: wrangler deploy --dry-run failed');
    process.exit(1);
  }

  // Source maps are not uploaded unless upload_source_maps is set, and README.md is wrangler's
  // note about the folder: neither counts.
  const files = walk(outdir).filter((f) => !f.endsWith('.map') && !f.endsWith('README.md'));
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`worker size: ${kib(raw)} raw, ${kib(gzip)} gzip (limit ${kib(LIMIT_BYTES)} gzip) in ${files.map((f) => relative(outdir, f)).join(', ')}`);
  if (gzip > LIMIT_BYTES) {
    console.error(`check-worker-size: the worker is ${kib(gzip - LIMIT_BYTES)} over the limit`);
    process.exit(1);
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
