// Quick A/B of proxied JSON calls at 1 connection: leases on, leases off, no budgets (bench/proxy.ts's
// bundles), each its own workerd, in alternating short runs; prints p50 / p99 and calls per run.
//   npx tsx bench/proxy-ab.ts [rounds] [seconds]
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchPolicies, pool } from './proxy';
import { runLoad, type Samples } from './proxy-load';
import { startFakeProcess, startProxyWorker, stopFakeProcess } from './proxy-setup';
import { percentile } from './stats';
import { CLIENT_KEY, buildWorker, generateKeyPair, seedKv, signedBundle } from './worker-setup';

const BODY = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 256, messages: [{ role: 'user', content: 'Summarise the attached quarterly report in three bullet points.' }] });

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 4);
  const seconds = Number(process.argv[3] ?? 2);
  const keys = await generateKeyPair();
  const script = buildWorker();
  const { policies, limits, noLeaseLimits } = benchPolicies();
  const fake = await startFakeProcess();
  const sides = { on: [...policies, ...limits], off: [...policies, ...noLeaseLimits], none: policies };
  const urls: Record<string, string> = {};
  const workers = [];
  try {
    for (const [name, bundle] of Object.entries(sides)) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-ab-kv-'));
      await seedKv(dir, await signedBundle(bundle, '1.0.0', keys), keys);
      const w = await startProxyWorker(script, dir, keys.publicKey, fake.url);
      workers.push(w);
      urls[name] = new URL('/proxy/openai/v1/chat/completions', w.url).href;
    }
    const headers = { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' };
    for (const url of Object.values(urls)) await runLoad({ url, headers, body: BODY, connections: 4, seconds: 0.5 });
    const runs: Record<string, Samples[]> = { on: [], off: [], none: [] };
    const names = Object.keys(urls);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + r) % names.length];
        runs[name].push(await runLoad({ url: urls[name], headers, body: BODY, connections: 1, seconds }));
      }
    }
    for (const name of names) {
      const s = pool(runs[name]);
      console.log(`${name}: p50 ${percentile(s.total, 0.5).toFixed(2)} ms, p99 ${percentile(s.total, 0.99).toFixed(2)} ms, ${s.total.length} calls; per run p50 ${runs[name].map((x) => percentile([...x.total].sort((a, b) => a - b), 0.5).toFixed(2)).join(' / ')}`);
    }
    console.log(`load ${loadavg()[0].toFixed(1)}`);
  } finally {
    for (const w of workers) await w.mf.dispose();
    stopFakeProcess(fake);
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
