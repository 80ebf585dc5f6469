// The injection detector's cold start inside workerd (Miniflare, the runtime `wrangler dev` uses):
// a fresh worker's first /v1/evaluate, with a bundle whose rule reads llm.injectionScore (the
// weights are decoded on that first request) beside one whose rule reads only llm.model (the
// weights are never touched). The difference is what the detector adds to a cold start.
// Called by bench/injection.ts; returns its lines for the RESULTS section.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicies } from '../src/policy/parse';
import { buildWorker, CLIENT_KEY, generateKeyPair, seedKv, signedBundle, startPolicyWorker } from './worker-setup';

const TRIALS = 3;
const POLICY = (condition: string): string => `metadata: { id: cold, namespace: default }
rules:
  - id: r
    condition: ${condition}
    action: { decision: deny, reason: "bench" }
`;
const REQUEST = JSON.stringify({
  context: { llm: { provider: 'openai', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Summarise the attached quarterly report in three bullet points for the sales team.' }] } },
});

async function firstAnswers(script: string, condition: string): Promise<{ first: number[]; second: number[] }> {
  const keys = await generateKeyPair();
  const bundle = await signedBundle(parsePolicies(POLICY(condition), { filename: 'cold.yaml' }), '1.0.0', keys);
  const dir = mkdtempSync(join(tmpdir(), 'bench-injection-cold-'));
  await seedKv(dir, bundle, keys);
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const worker = await startPolicyWorker(script, dir, keys.publicKey);
    try {
      const url = new URL('/v1/evaluate', worker.url).href;
      for (const into of [first, second]) {
        const started = performance.now();
        const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' }, body: REQUEST });
        await res.arrayBuffer();
        into.push(performance.now() - started);
        if (res.status !== 200) throw new Error(`cold start answered ${res.status}`);
      }
    } finally {
      await worker.mf.dispose();
    }
  }
  return { first, second };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function workerdColdStart(): Promise<string[]> {
  const script = buildWorker();
  const reads = await firstAnswers(script, '{ operator: gt, field: llm.injectionScore, value: 0.99 }');
  const plain = await firstAnswers(script, '{ operator: eq, field: llm.model, value: gpt-2 }');
  return [
    `Cold start in workerd (Miniflare, the built worker, ${TRIALS} fresh workers each, median): first /v1/evaluate ${median(reads.first).toFixed(1)} ms with a rule reading \`llm.injectionScore\` (decodes the weights, scores the prompt), ${median(plain.first).toFixed(1)} ms with a rule reading only \`llm.model\`; second request ${median(reads.second).toFixed(1)} / ${median(plain.second).toFixed(1)} ms.`,
  ];
}
