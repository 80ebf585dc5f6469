// The publishing CLI (scripts/publish.ts): publish, promote, rollback, status. Returns the exit
// code; errors are one line on stderr, never a stack trace.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseGates, type PointerGates } from '../bundle/index';
import { errorLine } from '../cli/errors';
import { PolicyError } from '../policy/errors';
import { createTarget, type TargetOptions } from './create-target';
import { withTarget, type KvTarget } from './kv-target';
import { DEV_KEY_DIR, ensureDevKeyPair, loadSigningKey, PUBLIC_KEY_FILE, type SigningKey } from './keys';
import { publish } from './pipeline';
import { promote, rollback } from './rollout-commands';
import { formatStatus, status } from './status';
// Rollout gates (issue 6): promote asks the worker for them; status shows them.
import { readRolloutView, workerGate } from '../rollout/worker-gate';
import { DEV_ADMIN_TOKEN, isLocalMode } from '../worker/auth/local-mode';

export const PUBLISH_USAGE = `usage:
  publish.ts <dir> [--target local|remote [--env E]] [--version V] [--canary P [--gates JSON|@FILE]] [--replace-canary] [--key FILE] [--reason TEXT] [--actor NAME]
  publish.ts promote [--to P] [--gates JSON|@FILE] [--force --reason TEXT] [--url URL] [--admin-token T] [--target local|remote [--env E]] [--key FILE]
  publish.ts rollback --reason TEXT [--target local|remote [--env E]] [--key FILE]
  publish.ts status [--tenant T] [--url URL] [--admin-token T] [--target local|remote [--env E]] [--key FILE]

  --target      local (default): the KV that \`npm run dev\` serves (.wrangler/state);
                remote: Cloudflare, through \`npx wrangler kv key ... --remote\` (needs \`wrangler login\`
                or CLOUDFLARE_API_TOKEN, and the real namespace id in wrangler.toml)
  --env         remote: the wrangler environment whose BUNDLES namespace is written (default
                production: the [env.production] of the README's deploy flow; --env '' for the
                top-level [[kv_namespaces]])
  --version     default: the highest version in KV with patch + 1 (the current stable's patch + 1
                unless a newer canary or rolled-back version exists); 0.1.0 on an empty KV.
                A version not greater than every version in KV is refused.
  --canary      publish as a canary at P% (1-99) beside the current stable
  --replace-canary  publish although a canary is running: it is dropped (or replaced by the new
                canary). Without it, a publish while a canary runs is refused
  --gates       this canary's gate thresholds, signed into the pointer, as JSON or @file.json:
                {"maxErrorRate":0.01,"denyMargin":0.1,"denyFloor":0.01,"costMargin":0.1,"minDecisions":500}
                (any subset; the rest come from the worker's GATE_* vars). promote keeps them
                while the canary moves up, or replaces them with its own --gates; reaching 100%,
                rollback and a publish without --gates drop them
  --tenant      status: which canary bucket (0-99) tenant T hashes to and which version it gets
                (T is a request's team.id, else user.id, else the client key id)
  --to          promote: the canary's new percent (default the next of 10, 50, 100; 100 = stable)
  --force       promote although the rollout gates do not pass (or cannot be read); needs --reason,
                and the override is recorded in the history
  --url         the worker whose GET /v1/rollout has the gates (promote, status). Default
                $LLM_POLICY_URL, else http://127.0.0.1:8787 (npm run dev); --target remote needs it
  --admin-token its admin token. Default $LLM_POLICY_ADMIN_TOKEN, else dev-admin-token on 127.0.0.1
  --key         Ed25519 private key file (base64url PKCS#8). Local default: .dev-keys/private.key
                (created if absent). Remote needs --key.
  --persist-to  local state folder, as \`wrangler dev --persist-to\` (default .wrangler/state)
  --config      wrangler config (default wrangler.toml)`;

const COMMANDS = new Set(['publish', 'promote', 'rollback', 'status']);

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Tests pass an in-memory target. */
  target?: (kind: string, opts: TargetOptions) => KvTarget;
  /** How to reach the worker's GET /v1/rollout; tests pass the workerd worker's fetch. */
  fetch?: typeof fetch;
}

const defaultIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

export async function runPublishCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    io.err(errorLine(e));
    return 1;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCli(argv);
  if (values.help) {
    io.out(PUBLISH_USAGE);
    return 0;
  }
  const command = COMMANDS.has(positionals[0]) ? positionals.shift()! : 'publish';
  const kind = values.target ?? 'local';
  const target = (io.target ?? createTarget)(kind, { configPath: values.config, persistTo: values['persist-to'], env: values.env });
  const actor = values.actor;
  const reason = values.reason;

  return withTarget(target, async () => {
    if (command === 'status') {
      const publicKey = await statusPublicKey(values.key, kind);
      const { url, adminToken } = workerAccess(values, kind);
      io.out(formatStatus(await status({ target, publicKey, gates: await readRolloutView(url, adminToken, io.fetch), tenant: values.tenant })));
      return 0;
    }
    const key = await signingKey(values.key, kind, io);
    if (command === 'promote') {
      const gate = workerGate({ ...workerAccess(values, kind), force: values.force === true, reason, print: io.out, fetch: io.fetch });
      const pointerGates = await gatesOption(values.gates);
      const { pointer } = await promote({ target, key, to: percent(values.to, '--to'), actor, reason, log: io.err, gates: [gate], pointerGates });
      io.out(pointer.canary ? `canary ${pointer.canary} now at ${pointer.canaryPercent}% (stable ${pointer.stable}), sequence ${pointer.sequence}` : `${pointer.stable} is now the stable, sequence ${pointer.sequence}`);
      return 0;
    }
    if (command === 'rollback') {
      const { pointer, entry } = await rollback({ target, key, actor, reason: reason ?? '', log: io.err });
      const dropped = entry.from?.canary ? `dropped canary ${entry.from.canary}; ` : '';
      io.out(`${dropped}stable is ${pointer.stable}, sequence ${pointer.sequence}`);
      return 0;
    }
    const dir = positionals[0];
    if (!dir || positionals.length > 1) throw new PolicyError('input_error', `publish takes one policy folder, got ${positionals.length ? positionals.join(' ') : 'none'}`);
    const result = await publish({ dir, target, key, version: values.version, canary: percent(values.canary, '--canary'), replaceCanary: values['replace-canary'] === true, gates: await gatesOption(values.gates), actor, reason, log: io.err });
    const as = result.canaryPercent !== undefined ? `as canary at ${result.canaryPercent}%` : 'as stable';
    io.out(`published ${result.version} ${as} (${count(result.policies, 'policy', 'policies')}, ${count(result.tests.passed, 'test')} passed, ${count(result.warnings, 'warning')}); pointer sequence ${result.pointer.sequence}`);
    return 0;
  });
}

function parseCli(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        target: { type: 'string' },
        version: { type: 'string' },
        canary: { type: 'string' },
        to: { type: 'string' },
        gates: { type: 'string' },
        key: { type: 'string' },
        reason: { type: 'string' },
        actor: { type: 'string' },
        'persist-to': { type: 'string' },
        config: { type: 'string' },
        env: { type: 'string' },
        force: { type: 'boolean' },
        'replace-canary': { type: 'boolean' },
        tenant: { type: 'string' },
        url: { type: 'string' },
        'admin-token': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    // parseArgs messages are one line, e.g. "Unknown option '--canry'".
    throw new PolicyError('input_error', `${(e as Error).message.split('. ')[0]} (see --help)`);
  }
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function percent(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new PolicyError('input_error', `${flag} must be a whole percent, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** --gates: inline JSON, or @file with JSON in it; checked with the pointer's own schema. */
async function gatesOption(text: string | undefined): Promise<PointerGates | undefined> {
  if (text === undefined) return undefined;
  let source = '--gates';
  let json = text;
  if (text.startsWith('@')) {
    const file = text.slice(1);
    source = `--gates ${file}`;
    try {
      json = await readFile(file, 'utf8');
    } catch (e) {
      throw new PolicyError('input_error', `${source}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new PolicyError('input_error', `${source} is not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new PolicyError('input_error', `${source} must be a JSON object such as {"maxErrorRate":0.01}`);
  return parseGates(parsed);
}

/** --key, else for the local target the dev key (created when absent). Remote never defaults. */
async function signingKey(file: string | undefined, kind: string, io: CliIo): Promise<SigningKey> {
  if (file) return loadSigningKey(file);
  if (kind !== 'local') throw new PolicyError('input_error', '--target remote needs --key FILE: the local dev key must not sign what a deployed worker loads');
  const key = await ensureDevKeyPair('.');
  if (key.created) io.err(`created the local dev key pair in ${DEV_KEY_DIR}/ (key ${key.keyId})`);
  return key;
}

/**
 * Where the rollout gates live: the worker. A remote target has no sensible default URL; a
 * loopback URL gets the fixed dev admin token (the worker honours it only on loopback).
 */
function workerAccess(values: { url?: string; 'admin-token'?: string }, kind: string): { url: string; adminToken?: string } {
  const url = values.url ?? process.env.LLM_POLICY_URL ?? (kind === 'local' ? DEFAULT_WORKER_URL : '');
  const adminToken = values['admin-token'] ?? process.env.LLM_POLICY_ADMIN_TOKEN ?? (isLoopback(url) ? DEV_ADMIN_TOKEN : undefined);
  return { url, adminToken };
}

const DEFAULT_WORKER_URL = 'http://127.0.0.1:8787';

function isLoopback(url: string): boolean {
  try {
    return isLocalMode(true, url);
  } catch {
    return false;
  }
}

async function statusPublicKey(file: string | undefined, kind: string): Promise<string | undefined> {
  if (file) return (await loadSigningKey(file)).publicKey;
  const devPublic = join(DEV_KEY_DIR, PUBLIC_KEY_FILE);
  if (kind === 'local' && existsSync(devPublic)) return (await readFile(devPublic, 'utf8')).trim();
  return undefined;
}
