// `npm run bench -- generate`: the rules backend's time per sentence, English to a gated policy
// (compile, schema, lint, fields, its own tests), against a reference in the same run: reading
// back and compiling that same policy file (what `llm-policy evaluate` does to load it).
import * as os from 'node:os';
import { generate } from '../src/authoring/generate/index';
import { compileEnglish } from '../src/authoring/generate/rules/compile';
import { compileBundle } from '../src/engine/index';
import { parsePolicies } from '../src/policy/parse';
import { describeMachine, writeResultsSection } from './stats';

const SENTENCES = [
  'free tier teams may not use gpt-4o or o3',
  'only gpt-4o-mini and claude-3-5-haiku for team-42',
  'deny requests that cost more than $2 unless the user has the role finance',
  'limit each team to $50 per day',
  'at most 60 requests per minute per user',
  'block prompts with PII in production unless the user has the role pii-approved',
  'redact emails and phone numbers before they reach the provider',
  'cap output at 1,000 tokens for the free tier',
  'require approval for requests over $5',
  'block prompt injection above 0.8',
  'no requests outside 8am-6pm UTC on weekdays',
  'warn when a request uses more than 50,000 tokens',
];
const ROUNDS = 15;
const now = () => new Date('2026-12-02T00:00:00Z');

async function time(run: () => unknown): Promise<number> {
  const start = performance.now();
  for (const _ of Array(ROUNDS)) await run();
  return (performance.now() - start) / ROUNDS;
}

const rows: string[] = [];
const ratios: number[] = [];
let totalCompile = 0;
let totalGenerate = 0;
for (const sentence of SENTENCES) {
  const first = await generate({ text: sentence, now });
  if (!first.ok) throw new Error(`${sentence}: ${first.error.message}`);
  const [file, text] = Object.entries(first.files)[0];
  for (let i = 0; i < 3; i++) await generate({ text: sentence, now }); // warm the JIT
  const compileMs = await time(() => compileEnglish(sentence));
  const generateMs = await time(() => generate({ text: sentence, now }));
  const referenceMs = await time(() => compileBundle(parsePolicies(text, { filename: file }), { version: '1.0.0' }));
  totalCompile += compileMs;
  totalGenerate += generateMs;
  ratios.push(generateMs / referenceMs);
  const tests = first.gates.find((g) => g.gate === 'tests')?.message ?? '';
  rows.push(`| ${sentence} | ${compileMs.toFixed(3)} | ${generateMs.toFixed(2)} | ${referenceMs.toFixed(2)} | ${(generateMs / referenceMs).toFixed(1)}× | ${tests} |`);
}
ratios.sort((a, b) => a - b);

const markdown = `## Generate (rules backend)

Run: \`npm run bench -- generate\` (bench/generate.ts; a few seconds).
Machine: ${describeMachine()}. Date: ${now().toISOString().slice(0, 10)} (run ${new Date().toISOString().slice(0, 16)}Z). Node ${process.version}. Load average ${os.loadavg()[0].toFixed(1)} (shared with other engineers' test runs).
Each figure is the mean of ${ROUNDS} runs after 3 warm-ups. "generate" is the whole library call: English -> policy and
tests, then the gates (the file read back by parsePolicies, lint, the field check, its tests compiled and run);
"reference" is reading back and compiling the generated policy file alone (parsePolicies + compileBundle).

| sentence | compile ms | generate ms | reference ms | generate / reference | its tests |
|---|---:|---:|---:|---:|---|
${rows.join('\n')}

Mean per sentence: **compile ${(totalCompile / SENTENCES.length).toFixed(3)} ms, generate with every gate ${(totalGenerate / SENTENCES.length).toFixed(2)} ms**;
generate / reference median **${ratios[Math.floor(ratios.length / 2)].toFixed(1)}×** (the gates compile the policy twice, lint it and run its tests).
The English itself is a small part: the gates are what a generated policy costs, and they stay in milliseconds.
`;
console.log(markdown);
if (process.argv.includes('--write')) writeResultsSection('Generate (rules backend)', markdown);
