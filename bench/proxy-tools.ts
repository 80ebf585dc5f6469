// Proxy benchmark with tool calls (issue 11): what holding a streamed tool call back until response
// rules have judged it costs. A streamed chat completion whose answer is one tool call (its
// arguments in 30 pieces, 1 ms apart, as a model streams them) goes straight to the fake upstream
// ("direct"), through the proxy with the shipped policies ("no tool rules": nothing is held), and
// through the proxy with those policies plus a response rule on `response.toolCalls` ("tool
// rules": every piece of the call is held until the call is complete and judged). First byte and
// whole stream; the hold is what "tool rules" adds to the end of the stream over "no tool rules".
// Writes the `## Proxy with tool calls` section of RESULTS.md.
//
//   npx tsx bench/proxy-tools.ts      (also run by `npm run bench proxy-tools`)
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parsePolicies } from '../src/policy/parse';
import { benchPolicies, pool } from './proxy';
import { runLoad, type Samples } from './proxy-load';
import { startFakeProcess, startProxyWorker, stopFakeProcess } from './proxy-setup';
import { percentile, writeResultsSection } from './stats';
import { CLIENT_KEY, buildWorker, generateKeyPair, seedKv, signedBundle } from './worker-setup';

const SECONDS = 2.5;
const ROUNDS = 2;
const CONNECTIONS = 1;
const PIECES = 30;
const ARGUMENTS = JSON.stringify({ to: 'acct-1234', amount: 250, currency: 'EUR', memo: 'Invoice 2026-11 for consulting services, net 30 days, thank you' });

const TOOL_RULES = `
metadata: { id: bench-tool-rules }
rules:
  - id: no-large-transfers
    stage: response
    condition:
      operator: any
      field: response.toolCalls
      condition:
        operator: and
        conditions:
          - { operator: eq, field: $.name, value: transfer_funds }
          - { operator: gt, field: $.arguments.amount, value: 10000 }
    action: { decision: deny, reason: "transfers over 10000 need approval" }
`;

const BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  max_tokens: 256,
  stream: true,
  messages: [{ role: 'user', content: 'Pay the consulting invoice.' }],
  tools: [{ type: 'function', function: { name: 'transfer_funds', description: 'move money', parameters: { type: 'object', properties: {} } } }],
});

type Side = 'direct' | 'noToolRules' | 'toolRules';
const SIDES: Side[] = ['direct', 'noToolRules', 'toolRules'];
const LABEL: Record<Side, string> = { direct: 'direct', noToolRules: 'proxy, no tool rules', toolRules: 'proxy, tool rules' };

export async function main(): Promise<string> {
  const started = performance.now();
  const keys = await generateKeyPair();
  const script = buildWorker();
  const { policies, source } = benchPolicies();
  const shipped = policies.map((p) => ({ ...p, rules: p.rules.filter((r) => r.stage !== 'response') })).filter((p) => p.rules.length > 0);
  const plain = mkdtempSync(join(tmpdir(), 'bench-tools-kv-'));
  await seedKv(plain, await signedBundle(shipped, '1.0.0', keys), keys);
  const ruled = mkdtempSync(join(tmpdir(), 'bench-tools-kv-'));
  await seedKv(ruled, await signedBundle([...shipped, ...parsePolicies(TOOL_RULES)], '1.0.0', keys), keys);

  const fake = await startFakeProcess();
  const workers = [await startProxyWorker(script, plain, keys.publicKey, fake.url), await startProxyWorker(script, ruled, keys.publicKey, fake.url)];
  const samples = {} as Record<Side, Samples>;
  try {
    const pids: Record<Side, number[]> = { direct: [fake.pid], noToolRules: [fake.pid, ...workers[0].pids], toolRules: [fake.pid, ...workers[1].pids] };
    const urls: Record<Side, string> = {
      direct: `${fake.url}/v1/chat/completions`,
      noToolRules: new URL('/proxy/openai/v1/chat/completions', workers[0].url).href,
      toolRules: new URL('/proxy/openai/v1/chat/completions', workers[1].url).href,
    };
    const headers = {
      authorization: `Bearer ${CLIENT_KEY}`,
      'content-type': 'application/json',
      'x-fake-tool-calls': encodeURIComponent(JSON.stringify([{ name: 'transfer_funds', arguments: ARGUMENTS }])),
      'x-fake-args-piece': String(Math.ceil(ARGUMENTS.length / PIECES)),
      'x-fake-chunk-delay-ms': '1',
    };
    for (const side of ['noToolRules', 'toolRules'] as const) await check(urls[side], headers);
    for (const side of SIDES) await runLoad({ url: urls[side], headers, body: BODY, connections: 4, seconds: 0.5 });
    const runs: Record<Side, Samples[]> = { direct: [], noToolRules: [], toolRules: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = SIDES.map((_, i) => SIDES[(i + round) % SIDES.length]);
      for (const side of order) runs[side].push(await runLoad({ url: urls[side], headers, body: BODY, connections: CONNECTIONS, seconds: SECONDS, pids: pids[side] }));
    }
    for (const side of SIDES) samples[side] = pool(runs[side]);
  } finally {
    for (const w of workers) await w.mf.dispose();
    stopFakeProcess(fake);
  }
  const markdown = report(samples, source, (performance.now() - started) / 1000);
  writeResultsSection('Proxy with tool calls', markdown);
  console.log(markdown);
  return markdown;
}

/** The proxy must relay the call whole (the rule allows it): otherwise the timings measure an error. */
async function check(url: string, headers: Record<string, string>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers, body: BODY });
  const text = await res.text();
  const pieces = text.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)) as { choices?: Array<{ delta?: { tool_calls?: Array<{ function?: { arguments?: string } }> } }> });
  const args = pieces.flatMap((c) => c.choices ?? []).flatMap((c) => c.delta?.tool_calls ?? []).map((t) => t.function?.arguments ?? '').join('');
  if (res.status !== 200 || args !== ARGUMENTS) throw new Error(`proxy answered ${res.status} with arguments ${JSON.stringify(args)}: ${text.slice(0, 300)}`);
}

function report(s: Record<Side, Samples>, source: string, seconds: number): string {
  const p = (xs: number[], q: number) => percentile(xs, q);
  const cell = (xs: number[]) => `${p(xs, 0.5).toFixed(2)} / ${p(xs, 0.99).toFixed(2)}`;
  const cpu = (side: Side) => (s[side].cpuSeconds * 1e6) / Math.max(1, s[side].total.length);
  const rows = SIDES.map((side) => `| ${LABEL[side]} | ${cell(s[side].firstByte)} | ${cell(s[side].total)} | ${cpu(side).toFixed(0)} | ${s[side].total.length} | ${s[side].failures} |`);
  const hold = [0.5, 0.99].map((q) => (p(s.toolRules.total, q) - p(s.noToolRules.total, q)).toFixed(2));
  const firstByte = [0.5, 0.99].map((q) => (p(s.toolRules.firstByte, q) - p(s.noToolRules.firstByte, q)).toFixed(2));
  const load = loadavg()[0];
  return [
    '## Proxy with tool calls',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model.trim() ?? 'unknown CPU'} (${cpus().length} cores shared with other engineers' test runs; load average ${loadavg()[0].toFixed(1)} at the end; ${(totalmem() / 2 ** 30).toFixed(0)} GiB), Node ${process.version}. Same set-up as "Proxy" (worker in workerd via Miniflare, fake upstream and load generator in their own processes, ${CONNECTIONS} connection, ${SECONDS} s per run, ${ROUNDS} rounds per side in rotating order, samples pooled). Run: \`npx tsx bench/proxy-tools.ts\` (${seconds.toFixed(0)} s).`,
    '',
    `Request: a streamed OpenAI chat completion offering one tool; the answer is one \`transfer_funds\` call whose ${ARGUMENTS.length}-character arguments arrive in ${PIECES} deltas 1 ms apart. "No tool rules": ${source}, response-stage rules left out, so nothing is held. "Tool rules": the same plus one response rule (\`any\` over \`response.toolCalls\` with \`$.name\` and \`$.arguments.amount\`), so every delta of the call is held until the call is complete and judged, then released at once (the rule allows it).`,
    '',
    '| side | first byte p50 / p99 ms | whole stream p50 / p99 ms | server CPU µs per call | calls | failures |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Extra time to hold the call back (tool rules − no tool rules, whole stream): ${hold[0]} ms p50 / ${hold[1]} ms p99, and ${(cpu('toolRules') - cpu('noToolRules')).toFixed(0)} µs of server CPU per call. The held deltas go out together when the call is complete and judged, which is when the upstream sends its last piece: the client receives the complete call at most one evaluation (and the response-stage enrichment) after it would have without the rule. First byte (the role chunk, never held): tool rules − no tool rules ${firstByte[0]} ms p50 / ${firstByte[1]} ms p99.${load > cpus().length * 2 ? ` The machine was overloaded during this run (load average ${load.toFixed(1)} on ${cpus().length} cores): latency differences of this size are within its noise; the CPU column is the steadier figure.` : ''}`,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
