// Budgets benchmark: reserve + settle round trips against one hot BudgetCounter and spread over
// 100 counters. The bench worker (bench/budgets-worker.ts, bundled with esbuild) runs in
// Miniflare, the runtime of `wrangler dev` (SQLite on local disk, its default), on 127.0.0.1;
// this process sends HTTP requests with bounded concurrency and times each one. Each timed
// request = HTTP in + reserveAll (one RPC) + settleAll (one RPC) + HTTP out; /noop is the same
// HTTP path with no work, to subtract.
// The bursts then run many round trips inside one request, timed by the worker: DO throughput
// without an HTTP request per trip.
// Run: npx tsx bench/budgets.ts   (under a minute; writes bench/out/budgets.json)
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

interface Scenario {
  name: string;
  path: 'noop' | 'round-trip';
  objects: number;
  concurrency: number;
  requests: number;
}

export interface ScenarioResult extends Scenario {
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'HTTP floor (/noop)', path: 'noop', objects: 0, concurrency: 1, requests: 600 },
  { name: 'HTTP floor (/noop)', path: 'noop', objects: 0, concurrency: 32, requests: 2000 },
  { name: 'hot object, sequential', path: 'round-trip', objects: 1, concurrency: 1, requests: 600 },
  { name: 'hot object, 32 in flight', path: 'round-trip', objects: 1, concurrency: 32, requests: 2000 },
  { name: '100 objects, sequential', path: 'round-trip', objects: 100, concurrency: 1, requests: 600 },
  { name: '100 objects, 32 in flight', path: 'round-trip', objects: 100, concurrency: 32, requests: 2000 },
];
const WARMUP_REQUESTS = 200;

async function bundleWorker(): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./budgets-worker.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['cloudflare:*'],
    write: false,
  });
  return out.outputFiles[0].text;
}

async function run(base: URL, s: Scenario, label: string): Promise<ScenarioResult> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const lane = async () => {
    for (let i = next++; i < s.requests; i = next++) {
      const team = s.objects === 0 ? '' : `team-${i % s.objects}`;
      const url = `${base.origin}/${s.path}?team=${team}&id=${label}-${i}`;
      const t0 = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: s.concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { ...s, seconds, perSecond: s.requests / seconds, p50Ms: pct(0.5), p99Ms: pct(0.99), failures };
}

export interface BurstResult {
  name: string;
  objects: number;
  inFlight: number;
  n: number;
  perSecond: number;
  failures: number;
}

const BURSTS = [
  { name: 'in-worker burst, hot object', objects: 1, inFlight: 32, n: 2000 },
  { name: 'in-worker burst, 100 objects', objects: 100, inFlight: 32, n: 2000 },
];

async function burst(base: URL, b: (typeof BURSTS)[number], label: string): Promise<BurstResult> {
  const res = await fetch(`${base.origin}/burst?n=${b.n}&objects=${b.objects}&inFlight=${b.inFlight}&run=${label}`);
  const body = (await res.json()) as { ms: number; n: number; failures: number };
  return { ...b, perSecond: (body.n / Math.max(1, body.ms)) * 1000, failures: body.failures };
}

export function burstTable(results: BurstResult[]): string {
  const rows = results.map((r) => `| ${r.name} | ${r.objects} | ${r.inFlight} | ${r.n} | ${r.perSecond.toFixed(0)} | ${r.failures} |`);
  return ['| scenario | objects | in flight | round trips | round trips/s | failures |', '|---|---:|---:|---:|---:|---:|', ...rows].join('\n');
}

export function table(results: ScenarioResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.objects || '-'} | ${r.concurrency} | ${r.requests} | ${r.perSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.failures} |`,
  );
  return ['| scenario | objects | in flight | requests | req/s | p50 ms | p99 ms | failures |', '|---|---:|---:|---:|---:|---:|---:|---:|', ...rows].join('\n');
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** The 1-minute load average: on a shared machine it says how much the numbers can be trusted. */
function load(): string {
  return os.loadavg()[0].toFixed(1);
}

export async function main(): Promise<{ http: ScenarioResult[]; bursts: BurstResult[] }> {
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorker(),
    compatibilityDate: '2026-04-01',
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: { BUDGETS: { className: 'BudgetCounter', useSQLite: true } },
    host: '127.0.0.1',
    port: 0,
  });
  try {
    const base = await mf.ready;
    // Warm the isolate and create the objects before timing.
    await run(base, { name: 'warm-up', path: 'round-trip', objects: 100, concurrency: 8, requests: WARMUP_REQUESTS }, 'warm');
    await run(base, { name: 'warm-up', path: 'round-trip', objects: 1, concurrency: 8, requests: 100 }, 'warm-hot');
    const http: ScenarioResult[] = [];
    for (const [i, s] of SCENARIOS.entries()) http.push(await run(base, s, `s${i}`));
    const bursts: BurstResult[] = [];
    for (const [i, b] of BURSTS.entries()) bursts.push(await burst(base, b, `b${i}`));
    return { http, bursts };
  } finally {
    await mf.dispose();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const loadBefore = load();
  const results = await main();
  const text = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${loadBefore} before, ${load()} after.\n\n${table(results.http)}\n\n${burstTable(results.bursts)}\n`;
  console.log(text);
  mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./out/budgets.json', import.meta.url), JSON.stringify({ machine: machine(), date: new Date().toISOString(), results }, null, 2));
}
