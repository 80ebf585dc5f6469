// The worker's folders (decision, recording, proxy, mcp, routes ...) form layers: no two of them
// import each other, directly or around a loop. A cycle between folders is how two copies of one
// stage grew before (evaluate and proxy each importing the other); this keeps it from coming back.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../src/worker');
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The top-level folder of src/worker a file is in ('' for files directly in it). */
function folderOf(path: string): string | undefined {
  const rel = relative(ROOT, path);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split('/');
  return parts.length > 1 ? parts[0] : '';
}

function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of files(ROOT)) {
    const from = folderOf(file)!;
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = folderOf(resolve(dirname(file), m[1]));
      if (to === undefined || to === from || to === '' || from === '') continue;
      if (!graph.has(from)) graph.set(from, new Map());
      graph.get(from)!.set(to, relative(ROOT, file));
    }
  }
  return graph;
}

/** One loop of folders, as `a -> b -> a` (with the file making each step), or undefined. */
function findCycle(graph: Map<string, Map<string, string>>): string | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string | undefined => {
    state.set(node, 'open');
    path.push(node);
    for (const [next, file] of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next].join(' -> ') + ` (last step in ${file})`;
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

describe('src/worker folders', () => {
  it('import each other without a cycle', () => {
    expect(findCycle(folderGraph())).toBeUndefined();
  });

  it('the check sees a cycle when there is one', () => {
    const graph = new Map([
      ['a', new Map([['b', 'a/x.ts']])],
      ['b', new Map([['a', 'b/y.ts']])],
    ]);
    expect(findCycle(graph)).toBe('a -> b -> a (last step in b/y.ts)');
  });
});
