// Replay benchmark (issue 9): `simulate --from-decisions` over 100,000 recorded decisions (target:
// under 5 s), against plain evaluation of the same contexts in the same run.
// Run: npm run bench -- replay   (or: node --import tsx bench/replay.ts)
//
// The records are made as the edge makes them: the shipped policies decide synthetic traffic,
// and toStoredRecord makes each record private (prompts hashed, user.email masked). The replay
// runs the shipped policies plus policies/examples, so decisions change.
import { toStoredRecord } from '../src/durable/decision-privacy';
import { compileBundle, loadBundle } from '../src/engine/index';
import { loadPolicySources } from '../src/node/policy-set';
import { decidingRules } from '../src/durable/decision-input';
import { parseDecisionRecords } from '../src/simulate/decision-records';
import { replayDecisions } from '../src/simulate/replay';
import { simulate } from '../src/simulate/simulate';
import { syntheticContexts } from '../src/simulate/synthetic';
import { loadavg } from 'node:os';
import { describeMachine, percentile, writeResultsSection } from './stats';

const RECORDS = 100_000;
const ROUNDS = 5;
const SETTINGS = { storePrompts: false, maskFields: ['user.email'] };

async function evaluatorOf(paths: string[], version: string) {
  const { policies } = await loadPolicySources(paths);
  return loadBundle(await compileBundle(policies, { version, createdAt: '2026-01-01T00:00:00Z' }));
}

const then = await evaluatorOf(['policies'], '1.0.0');
const candidate = await evaluatorOf(['policies', 'policies/examples'], '2.0.0');

const started = Date.now();
const contexts = syntheticContexts(RECORDS, 'replay-bench');
const records = await Promise.all(
  contexts.map((context, i) => {
    const d = then.evaluate(context);
    const input = { requestId: `req-${i}`, source: 'proxy' as const, decision: d.decision, decidingRules: decidingRules(d), matchedRules: d.matchedRules, bundle: d.bundle, reasons: d.reasons, context };
    return toStoredRecord(input, SETTINGS, Date.UTC(2026, 10, 20) + i * 1000);
  }),
);
const ndjson = `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
const setupMs = Date.now() - started;
const stored = records.map((r) => r.context!);

/** CPU ms of this process (user + system): the machine is shared, and wall time counts others' work. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function time(run: () => unknown): number {
  const start = cpuMs();
  run();
  return cpuMs() - start;
}

let report = replayDecisions(candidate, parseDecisionRecords(ndjson, 'bench.ndjson').records.map((r) => r.record));
// Warm up both, then alternate so machine noise hits both alike.
time(() => simulate(candidate, stored.map((context, i) => ({ label: `#${i}`, context }))));
const rounds: Array<{ parse: number; replay: number; total: number; wall: number; reference: number }> = [];
for (let r = 0; r < ROUNDS; r++) {
  let parsed: ReturnType<typeof parseDecisionRecords>['records'] = [];
  const wallStart = process.hrtime.bigint();
  const parse = time(() => (parsed = parseDecisionRecords(ndjson, 'bench.ndjson').records));
  const replay = time(() => (report = replayDecisions(candidate, parsed.map((x) => x.record))));
  const wall = Number(process.hrtime.bigint() - wallStart) / 1e6;
  const reference = time(() => simulate(candidate, stored.map((context, i) => ({ label: `#${i}`, context }))));
  rounds.push({ parse, replay, total: parse + replay, wall, reference });
}
const median = (pick: (x: (typeof rounds)[number]) => number) => percentile(rounds.map(pick).sort((a, b) => a - b), 0.5);
const ratios = rounds.map((x) => x.replay / x.reference).sort((a, b) => a - b);

const mib = (Buffer.byteLength(ndjson) / 1024 / 1024).toFixed(1);
const markdown = `## Replay

Run: \`npm run bench -- replay\` (bench/replay.ts; \`-- --write\` updates this section). Machine: ${describeMachine()}, shared
with other engineers' test runs (load average ${loadavg().map((l) => l.toFixed(1)).join(', ')}), so the figures are this process's
CPU time (user + system), with the wall time beside. Date: ${new Date().toISOString().slice(0, 10)}. Node ${process.version}.
Workload: ${RECORDS.toLocaleString('en-US')} decision records (${mib} MiB of NDJSON) made as the edge makes them (the shipped
policies decided synthetic traffic; prompts hashed, \`user.email\` masked; setup ${(setupMs / 1000).toFixed(1)} s), replayed
through the shipped policies plus \`policies/examples\`: ${report.changes.changed.toLocaleString('en-US')} decisions change,
${report.fidelity.approximateRecords.toLocaleString('en-US')} records flagged approximate (${report.fidelity.fields.map((f) => `\`${f.field}\` ${f.loss}`).join(', ')}: synthetic traffic
carries no budget state, which the edge records when its bundle reads it).
Medians of ${ROUNDS} rounds.

| step | median CPU ms |
|---|---:|
| parse and check the NDJSON (parseDecisionRecords) | ${median((x) => x.parse).toFixed(0)} |
| replay (replayDecisions: evaluate, compare, fidelity) | ${median((x) => x.replay).toFixed(0)} |
| **total, 100,000 records** (target < 5,000) | **${median((x) => x.total).toFixed(0)}** (wall ${median((x) => x.wall).toFixed(0)}) |
| reference: simulate() of the same contexts (evaluation and rule hits only) | ${median((x) => x.reference).toFixed(0)} |

Replay / reference (median of per-round ratios): **${percentile(ratios, 0.5).toFixed(2)}×**: what comparing with the
record, tallying who is hit and checking every read field for masking costs on top of evaluating.
`;
console.log(markdown);
if (process.argv.includes('--write')) writeResultsSection('Replay', markdown);
