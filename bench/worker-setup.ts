// Worker benchmark set-up: build the worker as `wrangler deploy` would, and run it (and the floor
// worker) in Miniflare, the local runtime `wrangler dev` uses, with KV seeded with a signed bundle,
// the signed pointer and a client key.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Miniflare } from 'miniflare';
import { generateKeyPair, sha256Hex, signBundle, signPointer, type KeyPairText } from '../src/bundle/index';
import { compileBundle } from '../src/engine/index';
import type { Bundle, Policy } from '../src/policy/types';

export const ADMIN_TOKEN = 'bench-admin-token';
export const CLIENT_KEY = 'lpe_bench-client-key';

const WRANGLER = readFileSync(new URL('../wrangler.toml', import.meta.url), 'utf8');
const COMPATIBILITY_DATE = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(WRANGLER)?.[1] ?? '2026-04-01';
const COMPATIBILITY_FLAGS = ['nodejs_compat'];

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

export async function startPolicyWorker(scriptPath: string, persistDir: string, publicKey: string, onLoaded?: (line: LoadedLine) => void): Promise<{ url: URL; mf: Miniflare }> {
  const mf = new Miniflare({
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
    durableObjects: {
      BUDGETS: { className: 'BudgetCounter', useSQLite: true },
      DECISIONS: { className: 'DecisionLog', useSQLite: true },
      VERSION_STATS: { className: 'VersionStats', useSQLite: true },
    },
    bindings: { BUNDLE_PUBLIC_KEY: publicKey, ADMIN_TOKEN, POINTER_REFRESH_SECONDS: '10', FAIL_OPEN: 'false', MAX_BODY_BYTES: '1048576' },
  });
  return { url: await mf.ready, mf };
}

export async function startFloorWorker(): Promise<{ url: URL; mf: Miniflare }> {
  const mf = new Miniflare({
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
  });
  return { url: await mf.ready, mf };
}

export { generateKeyPair };
