// src/rollout is shared by the worker (route, Durable Object alarm, loader) and the Node CLI: no
// file in it may reach, through its runtime imports, a Node built-in or a Workers-only module.
// Type-only imports are erased at build time and are not followed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url);
const ROOT = new URL('rollout/', SRC);

function runtimeImports(file: URL): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*import\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)'|^\s*export\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function resolve(spec: string, from: URL): URL | string {
  if (!spec.startsWith('.')) return spec;
  const base = new URL(spec, from);
  for (const candidate of [`${base.href}.ts`, `${base.href}/index.ts`]) if (existsSync(new URL(candidate))) return new URL(candidate);
  throw new Error(`cannot resolve ${spec} from ${from.pathname}`);
}

/** Every package or built-in reached from `entry` through runtime imports. */
function reachable(entry: URL): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file.href)) continue;
    seen.add(file.href);
    for (const spec of runtimeImports(file)) {
      const target = resolve(spec, file);
      if (typeof target === 'string') packages.add(target);
      else queue.push(target);
    }
  }
  return packages;
}

const files = readdirSync(ROOT).filter((name) => name.endsWith('.ts'));

describe('src/rollout portability', () => {
  it.each(files)('%s reaches no node: or cloudflare: module', (name) => {
    const packages = [...reachable(new URL(name, ROOT))];
    expect(packages.filter((p) => p.startsWith('node:') || p.startsWith('cloudflare:'))).toEqual([]);
  });

  it('follows imports for real (kill-switch.ts reaches zod directly, history-note.ts through src/bundle)', () => {
    expect(reachable(new URL('kill-switch.ts', ROOT)).has('zod')).toBe(true);
    expect(reachable(new URL('history-note.ts', ROOT)).has('zod')).toBe(true);
  });
});
