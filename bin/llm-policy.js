#!/usr/bin/env node
// The `llm-policy` command. Runs the built CLI when `npm run build` has produced it,
// else the TypeScript source through tsx (a dev dependency), so a fresh clone works after `npm install`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = new URL('../dist/cli.js', import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))).href);
}
