// Worker benchmark set-up: build the worker as `wrangler deploy` would, and run it (and the floor
// worker) in Miniflare, the local runtime `wrangler dev` uses, with KV seeded with a signed bundle,
// the signed pointer and a client key.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { unstable_readConfig } from 'wrangler';
import { generateKeyPair, sha256Hex, signBundle, signPointer, type KeyPairText } from '../src/bundle/index';
import { compileBundle } from '../src/engine/index';
import type { Bundle, Policy } from '../src/policy/types';

export const ADMIN_TOKEN = 'bench-admin-token';
export const CLIENT_KEY = 'lpe_bench-client-key';

// The deployed configuration, read as wrangler reads it: dates, flags and Durable Objects match.
const CONFIG = unstable_readConfig({ config: fileURLToPath(new URL('../wrangler.toml', import.meta.url)) });
const COMPATIBILITY_DATE = CONFIG.compatibility_date ?? '2026-04-01';
const COMPATIBILITY_FLAGS = CONFIG.compatibility_flags ?? [];
const DURABLE_OBJECTS = Object.fromEntries(CONFIG.durable_objects.bindings.map((b: { name: string; class_name: string }) => [b.name, { className: b.class_name, useSQLite: true }]));

/** `wrangler deploy --dry-run --outdir`: the exact script that would be uploaded. */
export function buildWorker(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-worker-'));
  const result = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], { encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
  if (result.status !== 0) throw new Error(`wrangler build failed:\n${result.stdout}${result.stderr}`);
  return join(outdir, 'index.js');
}

export async function signedBundle(policies: Policy[], version: string, keys: KeyPairText): Promise<Bundle> {
  return signBundle(await compileBundle(policies, { version }), keys.privateKey);
}

/** Writes bundle, pointer and the bench client key into a persisted KV folder. */
export async function seedKv(persistDir: string, bundle: Bundle, keys: KeyPairText): Promise<void> {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 204 }); } }',
    compatibilityDate: COMPATIBILITY_DATE,
    kvNamespaces: ['BUNDLES'],
    kvPersist: persistDir,
  });
  try {
    const kv = await mf.getKVNamespace('BUNDLES');
    await kv.put(`bundle:${bundle.version}`, JSON.stringify(bundle));
    const pointer = await signPointer({ stable: bundle.version, canaryPercent: 0, sequence: 1, updatedAt: new Date().toISOString() }, keys.privateKey);
    await kv.put('pointer', JSON.stringify(pointer));
    const record = { id: 'key_bench', subject: { team: { id: 'team-7', tier: 'pro' }, user: { id: 'bench-user' } }, createdAt: new Date().toISOString() };
    await kv.put(`key:${await sha256Hex(CLIENT_KEY)}`, JSON.stringify(record));
  } finally {
    await mf.dispose();
  }
}

/** The worker's `bundle_loaded` log lines (they carry the KV / verify / compile timings). */
export type LoadedLine = { kvMs: number; verifyMs: number; compileMs: number };

export interface Running {
  url: URL;
  mf: Miniflare;
  /** The workerd processes serving it: their CPU time is what a request costs the server. */
  pids: number[];
}

export async function startPolicyWorker(
  scriptPath: string,
  persistDir: string,
  publicKey: string,
  onLoaded?: (line: LoadedLine) => void,
  extra: { inspectorPort?: number; bindings?: Record<string, string> } = {},
): Promise<Running> {
  return started(() => new Miniflare({
    inspectorPort: extra.inspectorPort,
    // The worker logs a line per request; printing them all through this process would load the
    // machine under test. Keep only what the report uses, pass errors on.
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      if (!onLoaded) stdout.resume();
      else createInterface({ input: stdout }).on('line', (line) => {
        if (line.includes('"event":"bundle_loaded"')) onLoaded(JSON.parse(line.slice(line.indexOf('{'))) as LoadedLine);
      });
      createInterface({ input: stderr }).on('line', (line) => {
        if (!line.includes('"event":"request"')) process.stderr.write(`${line}\n`);
      });
    },
    scriptPath,
    modules: true,
    // The built script lives in a temp folder; module names are relative to it.
    modulesRoot: dirname(scriptPath),
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    host: '127.0.0.1',
    port: 0,
    kvNamespaces: ['BUNDLES'],
    kvPersist: persistDir,
    durableObjects: DURABLE_OBJECTS,
    bindings: { BUNDLE_PUBLIC_KEY: publicKey, ADMIN_TOKEN, POINTER_REFRESH_SECONDS: '10', FAIL_OPEN: 'false', MAX_BODY_BYTES: '1048576', ...extra.bindings },
  }));
}

export async function startFloorWorker(): Promise<Running> {
  return started(() => new Miniflare({
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.resume();
      stderr.pipe(process.stderr);
    },
    scriptPath: new URL('./floor-worker/index.js', import.meta.url).pathname,
    modules: true,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    host: '127.0.0.1',
    port: 0,
  }));
}

async function started(start: () => Miniflare): Promise<Running> {
  const before = workerdChildren();
  const mf = start();
  const url = await mf.ready;
  return { url, mf, pids: [...workerdChildren()].filter((pid) => !before.has(pid)) };
}

/** workerd processes this process started (Linux /proc; empty elsewhere, and CPU is not reported). */
function workerdChildren(): Set<number> {
  const pids = new Set<number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return pids;
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (stat.includes('(workerd)') && Number(fields[1]) === process.pid) pids.add(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** User + system CPU seconds used so far by these processes. */
export function cpuSeconds(pids: number[]): number {
  const CLOCK_TICKS = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const pid of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / CLOCK_TICKS;
}

export { generateKeyPair };
