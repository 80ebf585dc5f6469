// Small helpers shared by the benchmarks.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** p in 0..1 of an ascending array (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export function describeMachine(): string {
  const list = cpus();
  return `${list.length} × ${list[0]?.model.trim() ?? 'unknown CPU'}`;
}

/** Replace (or append) the `## <title>` section of bench/RESULTS.md with `markdown`. */
export function writeResultsSection(title: string, markdown: string): void {
  const results = new URL('./RESULTS.md', import.meta.url);
  const current = existsSync(results) ? readFileSync(results, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf(`\n## ${title}\n`);
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${markdown}`;
  } else {
    const after = current.indexOf('\n## ', start + 1);
    next = `${current.slice(0, start + 1)}${markdown}${after === -1 ? '' : current.slice(after)}`;
  }
  writeFileSync(results, next.endsWith('\n') ? next : `${next}\n`);
}
