// `npm run bench [-- name ...]`: runs each benchmark in its own process (so one cannot warm or
// pollute another) and prints its markdown. Record the figures in bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const BENCHES: Record<string, { file: string; flags?: string[] }> = {
  engine: { file: 'bench/engine.ts', flags: ['--expose-gc'] },
  pii: { file: 'bench/pii.ts' },
  worker: { file: 'bench/worker.ts' },
  budgets: { file: 'bench/budgets.ts' },
  proxy: { file: 'bench/proxy.ts' },
  generate: { file: 'bench/generate.ts' },
  replay: { file: 'bench/replay.ts' },
  injection: { file: 'bench/injection.ts' },
  'proxy-tools': { file: 'bench/proxy-tools.ts' },
  mcp: { file: 'bench/mcp.ts' },
  studio: { file: 'bench/studio.ts' },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted) {
  if (!BENCHES[name]) {
    console.error(`unknown benchmark "${name}" (known: ${Object.keys(BENCHES).join(', ')})`);
    process.exit(1);
  }
}
let failed = false;
for (const [name, bench] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  if (!existsSync(bench.file)) continue;
  console.log(`\n## ${name}\n`);
  const run = spawnSync(process.execPath, [...(bench.flags ?? []), '--import', 'tsx', bench.file], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`benchmark ${name} failed (exit ${run.status})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
