// Worker benchmark (issue 3): /v1/evaluate against a floor worker that answers constant JSON, both
// in the local Workers runtime, under autocannon at 1, 16 and 64 connections (alternating, so
// drift hits both alike); and the cold start: a fresh isolate's first answer with a 1,000-rule
// bundle in KV (KV read, verify, compile, evaluate). Writes the `## Worker` section of RESULTS.md.
//
//   npx tsx bench/worker.ts            (also run by `npm run bench`)
//   npx tsx bench/worker.ts --cold     (only the cold start, printed; RESULTS.md untouched)
import { mkdtempSync, readFileSync, readdirSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseBundle, verifyBundleDetailed } from '../src/bundle/index';
import { loadBundle } from '../src/engine/index';
import { parsePolicies } from '../src/policy/parse';
import type { Policy } from '../src/policy/types';
import { workloadPolicy } from './engine-workload';
import { load, type LoadResult, type Target } from './worker-load';
import { CLIENT_KEY, buildWorker, type LoadedLine, generateKeyPair, seedKv, signedBundle, startFloorWorker, startPolicyWorker } from './worker-setup';

const CONNECTIONS = [1, 16, 64];
const SECONDS = 4;
const ROUNDS = 2;
const COLD_TRIALS = 5;

export const BENCH_REQUEST = JSON.stringify({
  context: {
    llm: {
      provider: 'openai',
      model: 'gpt-4o-mini',
      maxTokens: 256,
      messages: [{ role: 'user', content: 'Summarise the attached quarterly report in three bullet points for the sales team, and keep it under a hundred words.' }],
    },
    project: { id: 'bench', environment: 'production' },
  },
});
/** The same request with a different prompt each time (`[<id>]` becomes the next number): nothing memoised helps. */
export const BENCH_REQUEST_UNIQUE = BENCH_REQUEST.replace('quarterly report', 'quarterly report number [<id>]');
const HEADERS: Record<string, string> = { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' };

interface Row {
  connections: number;
  floor: LoadResult;
  worker: LoadResult;
}

export async function main(): Promise<{ rows: Row[]; skeleton: LoadResult; unique: LoadResult; plain: LoadResult; cold: ColdStart; markdown: string }> {
  const keys = await generateKeyPair();
  const script = buildWorker();
  const { policies, source } = benchPolicies();

  const hotDir = mkdtempSync(join(tmpdir(), 'bench-kv-'));
  await seedKv(hotDir, await signedBundle(policies, '1.0.0', keys), keys);
  const { rows, skeleton, unique } = await throughput(script, hotDir, keys.publicKey);
  const plainDir = mkdtempSync(join(tmpdir(), 'bench-kv-plain-'));
  await seedKv(plainDir, await signedBundle([plainPolicy()], '1.0.0', keys), keys);
  const plain = await withoutEnrichment(script, plainDir, keys.publicKey);

  const cold = await coldStart(script, keys);
  const markdown = report(rows, skeleton, unique, plain, cold, source, policies);
  prependWorkerRun(markdown);
  console.log(markdown);
  return { rows, skeleton, unique, plain, cold, markdown };
}

async function throughput(script: string, kvDir: string, publicKey: string): Promise<{ rows: Row[]; skeleton: LoadResult; unique: LoadResult }> {
  const floor = await startFloorWorker();
  const worker = await startPolicyWorker(script, kvDir, publicKey);
  try {
    const evaluate: Target = { url: new URL('/v1/evaluate', worker.url).href, method: 'POST', headers: HEADERS, body: BENCH_REQUEST, pids: worker.pids };
    const constant: Target = { ...evaluate, url: new URL('/v1/evaluate', floor.url).href, pids: floor.pids };
    const health: Target = { url: new URL('/healthz', worker.url).href, method: 'GET', pids: worker.pids };
    const check = await fetch(evaluate.url, { method: 'POST', headers: HEADERS, body: BENCH_REQUEST });
    if (check.status !== 200) throw new Error(`worker answered ${check.status}: ${await check.text()}`);
    // Warm both: JIT, KV and key caches.
    await load(constant, 16, 1);
    await load(evaluate, 16, 1);

    const rows: Row[] = [];
    for (const connections of CONNECTIONS) {
      const floorRuns: LoadResult[] = [];
      const workerRuns: LoadResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which goes first, so warm-up or a neighbour's load does not favour one side.
        const order = round % 2 === 0 ? ['floor', 'worker'] : ['worker', 'floor'];
        for (const side of order) {
          const run = await load(side === 'floor' ? constant : evaluate, connections, SECONDS);
          (side === 'floor' ? floorRuns : workerRuns).push(run);
          console.error(`${side} c=${connections}: ${run.rps.toFixed(0)} req/s p50 ${run.p50Ms} ms p99 ${run.p99Ms} ms, ${run.cpuUs.toFixed(0)} µs CPU/request${run.failures ? ` (${run.failures} failures)` : ''}`);
        }
      }
      rows.push({ connections, floor: mean(floorRuns), worker: mean(workerRuns) });
    }
    const skeleton = await load(health, 16, SECONDS);
    const unique = await load({ ...evaluate, body: BENCH_REQUEST_UNIQUE, uniqueBodies: true }, 16, SECONDS);
    return { rows, skeleton, unique };
  } finally {
    await worker.mf.dispose();
    await floor.mf.dispose();
  }
}

/** The bench workload without its rules on enriched fields (cost, PII): 28 rules on team, tier, model, provider, maxTokens. */
function plainPolicy(): Policy {
  const policy = workloadPolicy(25);
  return { ...policy, rules: policy.rules.filter((r) => !/estimatedCost|containsPII|injection|"time\./.test(JSON.stringify(r))) };
}

/**
 * The same request against a bundle of about the same size whose rules read no enriched field:
 * the worker then skips enrichment (tokenizer, PII and injection scans, price lookup), which
 * shows what enrichment costs per request.
 */
async function withoutEnrichment(script: string, kvDir: string, publicKey: string): Promise<LoadResult> {
  const worker = await startPolicyWorker(script, kvDir, publicKey);
  try {
    const target: Target = { url: new URL('/v1/evaluate', worker.url).href, method: 'POST', headers: HEADERS, body: BENCH_REQUEST, pids: worker.pids };
    await load(target, 16, 1);
    return await load(target, 16, SECONDS);
  } finally {
    await worker.mf.dispose();
  }
}

interface ColdStart {
  rules: number;
  bundleBytes: number;
  firstMs: number[];
  secondMs: number[];
  /** The worker's own account of each load (bundle_loaded log line). */
  inside: LoadedLine[];
  nodeParseMs: number;
  nodeVerifyMs: number;
  nodeCompileMs: number;
}

async function coldStart(script: string, keys: Awaited<ReturnType<typeof generateKeyPair>>): Promise<ColdStart> {
  const policy = workloadPolicy(995);
  const bundle = await signedBundle([policy], '2.0.0', keys);
  const text = JSON.stringify(bundle);
  const dir = mkdtempSync(join(tmpdir(), 'bench-kv-cold-'));
  await seedKv(dir, bundle, keys);

  const firstMs: number[] = [];
  const secondMs: number[] = [];
  const inside: LoadedLine[] = [];
  for (let i = 0; i < COLD_TRIALS; i++) {
    const worker = await startPolicyWorker(script, dir, keys.publicKey, (line) => inside.push(line));
    try {
      const url = new URL('/v1/evaluate', worker.url).href;
      for (const into of [firstMs, secondMs]) {
        const started = performance.now();
        const res = await fetch(url, { method: 'POST', headers: HEADERS, body: BENCH_REQUEST });
        await res.arrayBuffer();
        into.push(performance.now() - started);
        if (res.status !== 200) throw new Error(`cold start answered ${res.status}`);
      }
    } finally {
      await worker.mf.dispose();
    }
  }

  // The same steps in Node's V8, to show where the cold start goes.
  const t0 = performance.now();
  const parsed = parseBundle(text);
  const t1 = performance.now();
  const verified = await verifyBundleDetailed(parsed, keys.publicKey);
  const t2 = performance.now();
  loadBundle(parsed);
  const t3 = performance.now();
  if (!verified.ok) throw new Error(`bench bundle does not verify: ${verified.message}`);
  return { rules: policy.rules.length, bundleBytes: text.length, firstMs, secondMs, inside, nodeParseMs: t1 - t0, nodeVerifyMs: t2 - t1, nodeCompileMs: t3 - t2 };
}

/** The shipped policies/ folder when it holds policies, else a 100-tenant workload. */
export function benchPolicies(): { policies: Policy[]; source: string } {
  const root = new URL('../policies/', import.meta.url).pathname;
  const files = existsSync(root) ? walk(root).filter((f) => /\.(ya?ml|json)$/.test(f) && !/\.test\.ya?ml$/.test(f)) : [];
  const policies = files.flatMap((f) => parsePolicies(readFileSync(f, 'utf8'), { filename: f }));
  if (policies.some((p) => (p.status ?? 'active') === 'active')) return { policies, source: `policies/ (${policies.length} policies)` };
  return { policies: [workloadPolicy(100)], source: 'bench workload (105 rules; policies/ is empty)' };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function mean(runs: LoadResult[]): LoadResult {
  const avg = (pick: (r: LoadResult) => number) => runs.reduce((s, r) => s + pick(r), 0) / runs.length;
  return { rps: avg((r) => r.rps), p50Ms: avg((r) => r.p50Ms), p99Ms: avg((r) => r.p99Ms), failures: runs.reduce((s, r) => s + r.failures, 0), cpuUs: avg((r) => r.cpuUs) };
}

function signed(us: number): string {
  return `${us >= 0 ? '+' : ''}${us.toFixed(0)}`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function report(rows: Row[], skeleton: LoadResult, unique: LoadResult, plain: LoadResult, cold: ColdStart, source: string, policies: Policy[]): string {
  const rules = policies.reduce((n, p) => n + p.rules.length, 0);
  const at16 = rows.find((r) => r.connections === 16);
  const ratio16 = at16 ? at16.floor.rps / at16.worker.rps : NaN;
  const cpu16 = at16 ? at16.worker.cpuUs / at16.floor.cpuUs : NaN;
  const coldMedian = median(cold.firstMs);
  const floorCpu = median(rows.map((r) => r.floor.cpuUs));
  const workerCpu = median(rows.map((r) => r.worker.cpuUs));
  const lines = [
    '## Worker',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores shared with other work; load average ${loadavg()[0].toFixed(1)} at the end of the run; ${(totalmem() / 2 ** 30).toFixed(0)} GiB), Node ${process.version}, workerd via Miniflare (the runtime of \`wrangler dev\`), worker built by \`wrangler deploy --dry-run\`. Run: \`npx tsx bench/worker.ts\`.`,
    '',
    `POST /v1/evaluate with a client key (subject merged), enrichment on, bundle: ${source}, ${rules} rules. Floor: a worker returning constant JSON of the same size (bench/floor-worker). autocannon, ${SECONDS} s per run, ${ROUNDS} alternating rounds per row (mean shown), load generator on the same machine. CPU/request is the serving workerd process's user + system time divided by requests answered: unlike req/s it hardly moves with the machine's other load.`,
    '',
    '| connections | floor req/s | worker req/s | floor/worker | floor p50 / p99 ms | worker p50 / p99 ms | floor / worker CPU µs per request | failures |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) =>
      `| ${r.connections} | ${r.floor.rps.toFixed(0)} | ${r.worker.rps.toFixed(0)} | ${(r.floor.rps / r.worker.rps).toFixed(2)}× | ${r.floor.p50Ms.toFixed(1)} / ${r.floor.p99Ms.toFixed(1)} | ${r.worker.p50Ms.toFixed(1)} / ${r.worker.p99Ms.toFixed(1)} | ${r.floor.cpuUs.toFixed(0)} / ${r.worker.cpuUs.toFixed(0)} | ${r.floor.failures + r.worker.failures} |`,
    ),
    `| 16, GET /healthz (routing, request id, log line; no auth, no body) | | ${skeleton.rps.toFixed(0)} | | | ${skeleton.p50Ms.toFixed(1)} / ${skeleton.p99Ms.toFixed(1)} | ${skeleton.cpuUs.toFixed(0)} | ${skeleton.failures} |`,
    `| 16, /v1/evaluate with a different prompt each request (no memoised token count or scan) | | ${unique.rps.toFixed(0)} | | | ${unique.p50Ms.toFixed(1)} / ${unique.p99Ms.toFixed(1)} | ${unique.cpuUs.toFixed(0)} | ${unique.failures} |`,
    `| 16, /v1/evaluate, 28 rules that read no enriched field (so no enrichment runs) | | ${plain.rps.toFixed(0)} | | | ${plain.p50Ms.toFixed(1)} / ${plain.p99Ms.toFixed(1)} | ${plain.cpuUs.toFixed(0)} | ${plain.failures} |`,
    '',
    `Target (issue 10): server CPU per /v1/evaluate at 16 connections ≤ 1.3× the floor's. Measured: ${cpu16.toFixed(2)}× (${cpu16 <= 1.3 ? 'met' : 'NOT met'}; ${at16?.floor.cpuUs.toFixed(0)} µs floor, ${at16?.worker.cpuUs.toFixed(0)} µs worker); ${rows.map((r) => `${r.connections}: ${(r.worker.cpuUs / r.floor.cpuUs).toFixed(2)}×`).join(', ')} connections; with a different prompt each request ${at16 ? (unique.cpuUs / at16.floor.cpuUs).toFixed(2) : 'n/a'}×. In req/s: ${ratio16.toFixed(2)}× at 16 (median CPU over rows: ${floorCpu.toFixed(0)} µs floor, ${workerCpu.toFixed(0)} µs worker).`,
    at16
      ? `Where the worker's CPU goes at 16 connections, against the floor's ${at16.floor.cpuUs.toFixed(0)} µs: GET /healthz through the Hono app (routing, request id, a sampled log line) ${signed(skeleton.cpuUs - at16.floor.cpuUs)} µs; /v1/evaluate without enrichment (lean entry, auth, body, validation, evaluation, budget check, decision records, the Decision JSON) ${signed(plain.cpuUs - at16.floor.cpuUs)} µs over the floor; the shipped bundle over that one (enrichment of this 20-word prompt: tokens, cost, PII, injection, time, memoised after the first request; and ${rules - 28} more rules, the budget state its conditions read and the budget check) ${signed(at16.worker.cpuUs - plain.cpuUs)} µs, or ${signed(unique.cpuUs - plain.cpuUs)} µs when the prompt is new each time (nothing memoised).`
      : '',
    '',
    `Cold start, ${cold.rules}-rule bundle (${(cold.bundleBytes / 1024).toFixed(0)} KiB) in KV: first answer of a fresh workerd isolate (KV reads, Ed25519 + hash verify, compile, enrich, evaluate) over ${cold.firstMs.length} starts: median ${coldMedian.toFixed(1)} ms, best ${Math.min(...cold.firstMs).toFixed(1)} ms (all: ${cold.firstMs.map((x) => x.toFixed(1)).join(', ')}; wall-clock, so the machine's other load inflates it); the second request: median ${median(cold.secondMs).toFixed(1)} ms. Target < 50 ms (median): ${coldMedian < 50 ? 'met' : 'NOT met'}.`,
    `Inside the worker (its bundle_loaded log line, medians; workerd reports whole milliseconds): KV reads ${median(cold.inside.map((l) => l.kvMs)).toFixed(1)} ms, parse + verify ${median(cold.inside.map((l) => l.verifyMs)).toFixed(1)} ms, compile ${median(cold.inside.map((l) => l.compileMs)).toFixed(1)} ms.`,
    `Same steps in Node for comparison: parse ${cold.nodeParseMs.toFixed(1)} ms, verify (canonical JSON + SHA-256 + Ed25519) ${cold.nodeVerifyMs.toFixed(1)} ms, compile ${cold.nodeCompileMs.toFixed(1)} ms.`,
    '',
  ];
  return lines.join('\n');
}

/**
 * This run as a subsection at the top of RESULTS.md's `## Worker` section, above the earlier runs
 * (kept for comparison); other sections belong to other benchmarks.
 */
function prependWorkerRun(markdown: string): void {
  const results = new URL('./RESULTS.md', import.meta.url);
  const current = readFileSync(results, 'utf8');
  const heading = '\n## Worker\n';
  const start = current.indexOf(heading);
  const run = markdown.replace(/^## Worker\n/, `### Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n`);
  const next = start === -1 ? `${current.trimEnd()}\n\n## Worker\n\n${run}` : `${current.slice(0, start + heading.length)}\n${run}\n${current.slice(start + heading.length).replace(/^\n/, '')}`;
  writeFileSync(results, next);
}

/** Only the cold start, printed as the report's cold-start lines: for bisecting a regression quickly. */
async function coldOnly(): Promise<void> {
  const keys = await generateKeyPair();
  const cold = await coldStart(buildWorker(), keys);
  const m = median(cold.firstMs);
  console.log(`cold start ${cold.rules} rules (${(cold.bundleBytes / 1024).toFixed(0)} KiB): median ${m.toFixed(1)} ms, best ${Math.min(...cold.firstMs).toFixed(1)} ms (all: ${cold.firstMs.map((x) => x.toFixed(1)).join(', ')}); second request median ${median(cold.secondMs).toFixed(1)} ms; load ${loadavg()[0].toFixed(1)}`);
  console.log(`inside (medians): KV ${median(cold.inside.map((l) => l.kvMs))} ms, parse + verify ${median(cold.inside.map((l) => l.verifyMs))} ms, compile ${median(cold.inside.map((l) => l.compileMs))} ms`);
  console.log(`node: parse ${cold.nodeParseMs.toFixed(1)} ms, verify ${cold.nodeVerifyMs.toFixed(1)} ms, compile ${cold.nodeCompileMs.toFixed(1)} ms`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  (process.argv.includes('--cold') ? coldOnly() : main().then(() => undefined)).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
