// src/lint runs in Workers as well as Node: it may import neither Node built-ins nor the worker.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../src/lint/', import.meta.url);

function sourceFiles(dir: URL): URL[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(new URL(`${entry.name}/`, dir)) : entry.name.endsWith('.ts') ? [new URL(entry.name, dir)] : []);
}

describe('src/lint portability', () => {
  it.each(sourceFiles(ROOT).map((url) => [url.pathname.slice(ROOT.pathname.length), url]))('%s imports nothing Node- or worker-only', (_name, url) => {
    const imports = [...readFileSync(url, 'utf8').matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]);
    for (const spec of imports) {
      expect(spec).not.toMatch(/^node:/);
      expect(spec).not.toMatch(/(^|\/)worker(\/|$)/);
      expect(spec.startsWith('.') || ['re2js', 'yaml', 'zod'].includes(spec)).toBe(true);
    }
  });
});
