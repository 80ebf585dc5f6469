#!/usr/bin/env node
// Builds the Policy Studio (src/studio) into the worker's static assets folder, dist-studio/
// (git-ignored; wrangler.toml [assets]): studio/index.html, studio/app.js, studio/app.css.
// Run by `npm run dev`, the workers tests' setup and scripts/check-worker-size.mjs. Prints the
// gzip size of the JS and CSS, and fails above the page's budget (300 KiB gzip).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const STUDIO_BUDGET_BYTES = 300 * 1024;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ASSETS_DIR = join(root, 'dist-studio');
const out = join(ASSETS_DIR, 'studio');

/** Builds the page; returns the gzip size of its JS + CSS. */
export async function buildStudio({ quiet = false } = {}) {
  rmSync(ASSETS_DIR, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(root, 'src/studio/main.tsx')],
    outfile: join(out, 'app.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'src/studio/index.html'), join(out, 'index.html'));
  const gzip = ['app.js', 'app.css'].reduce((n, f) => n + gzipSync(readFileSync(join(out, f)), { level: 9 }).length, 0);
  if (!quiet) console.log(`studio: ${(gzip / 1024).toFixed(1)} KiB gzip JS+CSS (budget ${STUDIO_BUDGET_BYTES / 1024} KiB) in ${out}`);
  if (gzip > STUDIO_BUDGET_BYTES) throw new Error(`the studio is ${((gzip - STUDIO_BUDGET_BYTES) / 1024).toFixed(1)} KiB over its budget`);
  return { gzip };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildStudio().catch((e) => {
    console.error(`build-studio: ${e.message}`);
    process.exit(1);
  });
}
