#!/usr/bin/env node
// The `llm-policy` command. In a checkout it runs the TypeScript source through tsx (a dev
// dependency), so it is never stale; an installed package, which ships no src/, runs dist/cli.js.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(new URL('../dist/cli.js', import.meta.url).href);
}
