// Where /v1/evaluate's CPU goes inside workerd: runs the worker bench's set-up (same bundle, same
// request) with Miniflare's inspector on, samples the isolate with the DevTools Profiler over
// 16 connections of load, and prints self time per function and per source file of the bundle.
//
//   npx tsx bench/profile-worker.ts [seconds] [evaluate | proxy | proxy-leases | proxy-exact] [connections]
//     evaluate (default): POST /v1/evaluate as bench/worker.ts sends it, 16 connections
//     proxy: an OpenAI chat completion through /proxy (the bundle of bench/proxy.ts without
//            budgets) to the fake upstream in its own process, 1 connection
//     proxy-leases / proxy-exact: the same with bench/proxy.ts's budget and rate limit, leases on
//            (the default) or off (`lease: off`, one exact reserve + settle per call)
//     cold: one fresh isolate's first /v1/evaluate with the cold-start bundle of bench/worker.ts
//           (1,000 rules): KV reads, verify, compile, enrich, evaluate, sampled as one request
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { benchPolicies as proxyPolicies } from './proxy';
import { startFakeProcess, startProxyWorker, stopFakeProcess } from './proxy-setup';
import { load } from './worker-load';
import { CLIENT_KEY, buildWorker, generateKeyPair, seedKv, signedBundle, startPolicyWorker } from './worker-setup';
import { benchPolicies, BENCH_REQUEST } from './worker';
import { workloadPolicy } from './engine-workload';

const INSPECTOR_PORT = 9329;

// ws ships no types (Node 20 has no WebSocket client); this is the slice of its API used here.
interface Socket {
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'open' | 'error', listener: (error?: Error) => void): void;
  send(text: string): void;
}
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string) => Socket;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const CHAT = JSON.stringify({
  model: 'gpt-4o-mini',
  max_tokens: 256,
  messages: [
    { role: 'system', content: 'You are a concise assistant for the sales team.' },
    { role: 'user', content: 'Summarise the attached quarterly report in three bullet points for the sales team, and keep it under a hundred words.' },
  ],
});

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const mode = process.argv[3] ?? 'evaluate';
  const proxied = mode.startsWith('proxy');
  const connections = Number(process.argv[4] ?? (proxied ? 1 : 16));
  const keys = await generateKeyPair();
  const script = buildWorker();
  const dir = mkdtempSync(join(tmpdir(), 'bench-kv-profile-'));
  await seedKv(dir, await signedBundle(bundleFor(mode), '1.0.0', keys), keys);
  if (mode === 'cold') return coldProfile(script, dir, keys.publicKey);
  const fake = proxied ? await startFakeProcess() : undefined;
  const worker = fake
    ? await startProxyWorker(script, dir, keys.publicKey, fake.url, {}, INSPECTOR_PORT)
    : await startPolicyWorker(script, dir, keys.publicKey, undefined, { inspectorPort: INSPECTOR_PORT });
  try {
    const headers = { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' };
    const path = fake ? '/proxy/openai/v1/chat/completions' : '/v1/evaluate';
    const target = { url: new URL(path, worker.url).href, method: 'POST' as const, headers, body: fake ? CHAT : BENCH_REQUEST, pids: worker.pids };
    const check = await fetch(target.url, { method: 'POST', headers, body: target.body });
    if (check.status !== 200) throw new Error(`answered ${check.status}: ${await check.text()}`);
    await load(target, connections, 2);
    const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json()) as Array<{ webSocketDebuggerUrl: string; title: string }>;
    const main = targets.find((t) => !/floor/.test(t.title)) ?? targets[0];
    const cdp = await connect(main.webSocketDebuggerUrl);
    await cdp('Profiler.enable');
    await cdp('Profiler.setSamplingInterval', { interval: 50 });
    await cdp('Profiler.start');
    const run = await load(target, connections, seconds);
    const { profile } = (await cdp('Profiler.stop')) as { profile: Profile };
    console.log(`${run.rps.toFixed(0)} req/s, ${run.cpuUs.toFixed(0)} µs CPU/request (whole workerd process), ${run.failures} failures`);
    report(profile, run.rps * seconds);
  } finally {
    await worker.mf.dispose();
    if (fake) stopFakeProcess(fake);
  }
}

/** Profiler on before the first request: what a cold start spends, beyond the module's own load. */
async function coldProfile(script: string, dir: string, publicKey: string): Promise<void> {
  const worker = await startPolicyWorker(script, dir, publicKey, undefined, { inspectorPort: INSPECTOR_PORT });
  try {
    const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json()) as Array<{ webSocketDebuggerUrl: string; title: string }>;
    const cdp = await connect(targets[0].webSocketDebuggerUrl);
    await cdp('Profiler.enable');
    await cdp('Profiler.setSamplingInterval', { interval: 50 });
    await cdp('Profiler.start');
    const started = performance.now();
    const res = await fetch(new URL('/v1/evaluate', worker.url), { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' }, body: BENCH_REQUEST });
    await res.arrayBuffer();
    const ms = performance.now() - started;
    const { profile } = (await cdp('Profiler.stop')) as { profile: Profile };
    console.log(`first request: ${res.status} in ${ms.toFixed(1)} ms (profiler on)`);
    report(profile, 1);
  } finally {
    await worker.mf.dispose();
  }
}

function bundleFor(mode: string) {
  if (mode === 'cold') return [workloadPolicy(995)];
  if (!mode.startsWith('proxy')) return benchPolicies().policies;
  const { policies, limits, noLeaseLimits } = proxyPolicies();
  if (mode === 'proxy') return policies;
  if (mode === 'proxy-leases') return [...policies, ...limits];
  if (mode === 'proxy-exact') return [...policies, ...noLeaseLimits];
  throw new Error(`unknown mode "${mode}" (evaluate, proxy, proxy-leases, proxy-exact)`);
}

function connect(url: string): Promise<(method: string, params?: object) => Promise<unknown>> {
  const ws = new WebSocket(url);
  let next = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
  });
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () =>
      resolve((method, params = {}) => {
        const id = next++;
        ws.send(JSON.stringify({ id, method, params }));
        return new Promise((done) => waiting.set(id, done));
      }),
    );
  });
}

/** Self time per function (top 40) and per bundled source file, in µs per request. */
function report(profile: Profile, requests: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const perFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    perFunction.set(key, (perFunction.get(key) ?? 0) + us);
    total += us;
  }
  const idle = [...perFunction].filter(([k]) => /^\((idle|program|garbage collector)\)/.test(k));
  console.log(`sampled ${(total / 1000).toFixed(0)} ms over ${requests.toFixed(0)} requests: ${(total / requests).toFixed(0)} µs/request incl. idle`);
  for (const [k, us] of idle) console.log(`  ${k}: ${(us / requests).toFixed(1)} µs/request`);
  // Inclusive: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      if (!f.functionName) continue;
      const key = `${f.functionName} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  console.log('--- inclusive (top 60)');
  for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`${(us / requests).toFixed(1).padStart(7)} µs  ${k}`);
  // PROFILE_CALLERS="set kv,text": who calls these (self time by calling function).
  for (const name of (process.env.PROFILE_CALLERS ?? '').split(',').filter(Boolean)) {
    const callers = new Map<string, number>();
    for (const [id, us] of self) {
      const f = byId.get(id)!.callFrame;
      if (`${f.functionName} ${f.url.split('/').pop()}:${f.lineNumber + 1}`.startsWith(name)) {
        const p = byId.get(parent.get(id) ?? -1)?.callFrame;
        const pp = byId.get(parent.get(parent.get(id) ?? -1) ?? -1)?.callFrame;
        const key = `${p?.functionName}:${(p?.lineNumber ?? 0) + 1} <- ${pp?.functionName}:${(pp?.lineNumber ?? 0) + 1}`;
        callers.set(key, (callers.get(key) ?? 0) + us);
      }
    }
    console.log(`--- callers of ${name}`);
    for (const [k, us] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`${(us / requests).toFixed(1).padStart(7)} µs  ${k}`);
  }
  console.log('--- self');
  const rows = [...perFunction].filter(([k]) => !idle.some(([i]) => i === k)).sort((a, b) => b[1] - a[1]).slice(0, 45);
  for (const [k, us] of rows) console.log(`${(us / requests).toFixed(1).padStart(7)} µs  ${k}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
