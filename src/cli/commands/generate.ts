// llm-policy generate: plain English, a suggestion or a pattern -> a policy file and its tests,
// written only when every gate passes (src/authoring/generate does the work; this reads the
// inputs, adds the gates that need the file system, and writes).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate, type GenerateRequest, type GenerateResult, type LlmSettings } from '../../authoring/generate/index';
import { readPattern } from '../../authoring/patterns/read';
import { readJson } from '../../policy/read-json';
import { choice, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { CliError, UsageError } from '../errors';
import type { Io } from '../io';
import { checkBeside, refuseOverwrite } from '../generate-set';

const OPTIONS = {
  'from-suggestions': { type: 'string' },
  index: { type: 'string' },
  'from-pattern': { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
  replay: { type: 'string' },
  shadow: { type: 'boolean' },
  model: { type: 'string' },
  temperature: { type: 'string' },
  force: { type: 'boolean' },
} as const;

export const generateCommand: Command = {
  name: 'generate',
  help: `Usage: llm-policy generate "<plain English>" [options]
       llm-policy generate --from-suggestions <file.json> [--index N] [options]
       llm-policy generate --from-pattern <pattern.yaml> [options]

Turns a description into one policy file and its *.test.yaml, and writes them only if every
gate passes: schema, lint (errors block), fields (no field that no request context provides),
its own tests (both sides of every threshold and exception), the tests beside the policies
already in --out, and --replay when given. Several sentences (split on ; . or new lines) make
one policy. Exit 0 written, 1 not understood or invalid (nothing is written).

Sentences the rules backend reads (see README "Authoring"):
  free tier teams may not use gpt-4o or o3            only gpt-4o-mini and claude-3-5-haiku for team-42
  deny requests that cost more than $2 unless the user has the role finance
  limit each team to $50 per day                      at most 60 requests per minute per user
  block prompts with PII in production unless the user has the role pii-approved
  redact emails and phone numbers before they reach the provider
  cap output at 1,000 tokens for the free tier        require approval for requests over $5
  block prompt injection above 0.8                    no requests outside 8am-6pm UTC on weekdays
  warn when a request uses more than 50,000 tokens

Options:
      --from-suggestions <file>  a JSON suggestion, a list of them or {suggestions: [...]}
                                 ({category, metric, recommendation, ...}, optionally a ready policy)
      --index <n>                which suggestion of the file (0-based; needed when it holds several)
      --from-pattern <file>      a pattern YAML {id, version, description, scope?}: writes deny rules
      --backend rules|llm        rules: built in, offline, deterministic; llm: a chat API
                                 (default llm when LLM_POLICY_PROVIDER's key is set, else rules)
      --out <dir>                where to write (default ./policies)
      --replay <file.ndjson>     replay recorded decisions (GET /v1/decisions) through the new
                                 policy and the ones in --out; report what would change
      --shadow                   write it with mode: shadow (evaluated and recorded, never enforced)
      --model <name>             llm backend model (default gpt-4o-mini / claude-3-5-haiku-latest)
      --temperature <t>          llm backend temperature (default 0 for OpenAI)
      --force                    overwrite files of the same name in --out
  -h, --help                     show this help

The llm backend: LLM_POLICY_PROVIDER=openai|anthropic (default: the one whose key is set),
OPENAI_API_KEY and OPENAI_BASE_URL (e.g. https://api.openai.com/v1, or our own proxy's
/proxy/openai/v1), ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL.

Example:
  llm-policy generate "free tier teams may not use gpt-4o; limit each team to $50 per day" --out my-policies
`,
  run,
};

async function run(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseCommandArgs('generate', argv, OPTIONS);
  const request = await requestOf(values, positionals, env);
  const out = values.out ?? 'policies';
  const result = await generate(request);
  if (!result.ok) return refuse(result, io);

  const extra = await checkBeside(out, result, values.replay);
  const gates = [...result.gates, ...extra.gates];
  const failed = extra.gates.find((g) => !g.ok);
  if (failed) return refuse({ ok: false, error: { code: 'invalid', message: `${failed.gate} gate: ${failed.message}` }, gates }, io);
  await refuseOverwrite(out, Object.keys(extra.files), values.force === true);

  await mkdir(out, { recursive: true });
  for (const [name, text] of Object.entries(extra.files)) await writeFile(join(out, name), text);
  for (const gate of gates) io.out(`✓ ${gate.gate}${gate.message ? `: ${gate.message}` : ''}\n`);
  for (const line of extra.report) io.out(`${line}\n`);
  for (const name of Object.keys(result.files)) io.out(`wrote ${join(out, name)}\n`);
  return 0;
}

function refuse(result: Extract<GenerateResult, { ok: false }>, io: Io): number {
  for (const gate of result.gates) io.out(`${gate.ok ? '✓' : '✗'} ${gate.gate}${gate.message ? `: ${gate.message}` : ''}\n`);
  io.err(`error: ${result.error.code === 'not_understood' ? 'not understood: ' : ''}${result.error.message}; nothing written\n`);
  return 1;
}

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

async function requestOf(values: Values, positionals: string[], env: NodeJS.ProcessEnv): Promise<GenerateRequest> {
  const sources = [positionals.length > 0, values['from-suggestions'] !== undefined, values['from-pattern'] !== undefined].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('give the policy in plain English, or --from-suggestions F, or --from-pattern F (exactly one)', 'generate');
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]} (quote the whole text: generate "free tier teams may not use gpt-4o")`, 'generate');
  if (values.index !== undefined && values['from-suggestions'] === undefined) throw new UsageError('--index goes with --from-suggestions', 'generate');
  const backend = choice('generate', values.backend, '--backend', ['rules', 'llm'] as const, providerKey(env) ? 'llm' : 'rules');
  const request: GenerateRequest = { backend, shadow: values.shadow === true };
  if (backend === 'llm') request.llm = llmSettings(env, values);
  if (positionals.length) request.text = positionals[0];
  else if (values['from-pattern'] !== undefined) {
    const file = values['from-pattern'];
    request.pattern = readPattern(await readFile(file, 'utf8'), file);
  } else request.suggestion = await readSuggestion(values['from-suggestions']!, values.index);
  return request;
}

async function readSuggestion(file: string, index: string | undefined): Promise<object> {
  const { value } = readJson(await readFile(file, 'utf8'), file);
  const record = value as { suggestions?: unknown } | null;
  const list: unknown[] = Array.isArray(value) ? value : Array.isArray(record?.suggestions) ? record!.suggestions as unknown[] : [value];
  if (index === undefined) {
    if (list.length !== 1) throw new CliError(`${file}: holds ${list.length} suggestions; pick one with --index 0..${list.length - 1}`);
    return asObject(list[0], file, 0);
  }
  const n = Number(index);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--index must be a whole number from 0, got ${JSON.stringify(index)}`, 'generate');
  if (n >= list.length) throw new CliError(`${file}: no suggestion at index ${n} (it holds ${list.length}: 0..${list.length - 1})`);
  return asObject(list[n], file, n);
}

function asObject(value: unknown, file: string, index: number): object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`${file}: suggestion ${index} is not an object`);
  return value;
}

function providerKey(env: NodeJS.ProcessEnv): boolean {
  const provider = env.LLM_POLICY_PROVIDER;
  if (provider === 'anthropic') return Boolean(env.ANTHROPIC_API_KEY);
  if (provider === 'openai') return Boolean(env.OPENAI_API_KEY);
  return Boolean(env.OPENAI_API_KEY || env.ANTHROPIC_API_KEY);
}

/** interfaces.md: LLM_POLICY_PROVIDER, OPENAI_* or ANTHROPIC_*, --model, --temperature. */
export function llmSettings(env: NodeJS.ProcessEnv, values: { model?: string; temperature?: string }): LlmSettings {
  const named = env.LLM_POLICY_PROVIDER;
  if (named !== undefined && named !== 'openai' && named !== 'anthropic') {
    throw new CliError(`LLM_POLICY_PROVIDER must be openai or anthropic, got ${JSON.stringify(named)}`);
  }
  const provider = named ?? (env.OPENAI_API_KEY ? 'openai' : env.ANTHROPIC_API_KEY ? 'anthropic' : 'openai');
  const apiKey = provider === 'openai' ? env.OPENAI_API_KEY : env.ANTHROPIC_API_KEY;
  const keyName = provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
  if (!apiKey) throw new CliError(`the llm backend needs ${keyName} (provider ${provider}); or use --backend rules`);
  const baseURL = (provider === 'openai' ? env.OPENAI_BASE_URL : env.ANTHROPIC_BASE_URL) || undefined;
  let temperature: number | undefined;
  if (values.temperature !== undefined) {
    temperature = Number(values.temperature);
    if (values.temperature.trim() === '' || !Number.isFinite(temperature) || temperature < 0 || temperature > 2) {
      throw new UsageError(`--temperature must be a number from 0 to 2, got ${JSON.stringify(values.temperature)}`, 'generate');
    }
  }
  return { provider, apiKey, baseURL, model: values.model, temperature };
}
