// CPU profile of proxied calls inside workerd (issue 10: where the budget path spends CPU). Starts
// the bench worker (bench/proxy.ts's bundle: one budget and one rate limit, leases on or off) with
// V8's inspector open, runs 1-connection JSON load against it while the Chrome DevTools Protocol
// Profiler samples, and prints the functions with the most self time, and the total by file.
//
//   NODE_OPTIONS=--experimental-websocket npx tsx bench/profile-proxy.ts [on|off|none] [seconds]
// (Node 20's WebSocket is behind that flag; Node 22 has it by default.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchPolicies } from './proxy';
import { runLoad } from './proxy-load';
import { startFakeProcess, startProxyWorker, stopFakeProcess } from './proxy-setup';
import { CLIENT_KEY, buildWorker, generateKeyPair, seedKv, signedBundle } from './worker-setup';

const INSPECTOR_PORT = 9229 + Math.floor(Math.random() * 500);
const BODY = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 256, messages: [{ role: 'user', content: 'Summarise the attached quarterly report in three bullet points for the sales team.' }] });

/** The little of the WebSocket API used here (the root tsconfig has no DOM lib). */
interface CdpSocket {
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  send(data: string): void;
  close(): void;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'on';
  const seconds = Number(process.argv[3] ?? 5);
  const keys = await generateKeyPair();
  const script = buildWorker();
  const { policies, limits, noLeaseLimits } = benchPolicies();
  const bundle = mode === 'none' ? policies : [...policies, ...(mode === 'off' ? noLeaseLimits : limits)];
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-kv-'));
  await seedKv(dir, await signedBundle(bundle, '1.0.0', keys), keys);
  const fake = await startFakeProcess();
  const worker = await startProxyWorker(script, dir, keys.publicKey, fake.url, {}, INSPECTOR_PORT);
  try {
    const url = new URL('/proxy/openai/v1/chat/completions', worker.url).href;
    const headers = { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' };
    await runLoad({ url, headers, body: BODY, connections: 4, seconds: 1 });
    const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json/list`)).json()) as Array<{ title: string; webSocketDebuggerUrl: string }>;
    const target = targets.find((t) => !t.title.startsWith('core:')) ?? targets[0];
    const Socket = (globalThis as { WebSocket?: new (url: string) => CdpSocket }).WebSocket;
    if (!Socket) throw new Error('no WebSocket: run with NODE_OPTIONS=--experimental-websocket (Node 20)');
    const ws = new Socket(target.webSocketDebuggerUrl);
    await new Promise<void>((r) => ws.addEventListener('open', () => r()));
    let next = 0;
    const pending = new Map<number, (v: unknown) => void>();
    ws.addEventListener('message', (event) => {
      const msg = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
      if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
    });
    const send = (method: string, params: object = {}) =>
      new Promise<unknown>((resolve) => {
        const id = ++next;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });
    await send('Profiler.enable');
    await send('Profiler.setSamplingInterval', { interval: 100 });
    await send('Profiler.start');
    const samples = await runLoad({ url, headers, body: BODY, connections: 1, seconds });
    const { profile } = (await send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
    ws.close();
    report(profile, samples.total.length, mode, target.title);
  } finally {
    await worker.mf.dispose();
    stopFakeProcess(fake);
  }
}

function report(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, calls: number, mode: string, title: string): void {
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    total += us;
    const file = url.split('/').slice(-2).join('/') || functionName;
    const name = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${(us / calls).toFixed(0).padStart(6)} µs/call ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
  console.log(`leases ${mode}: ${calls} calls profiled in ${title}; ${(total / calls).toFixed(0)} µs of sampled JS per call (idle and (program) excluded)`);
  console.log('by function (self time):');
  console.log(top(byFunction, 30).join('\n'));
  console.log('by file:');
  console.log(top(byFile, 15).join('\n'));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
