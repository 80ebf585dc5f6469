// Proxy benchmark set-up: the fake provider upstream in a child process, and the worker (built as
// `wrangler deploy` would) in Miniflare, the runtime of `wrangler dev`, with KV holding a signed
// bundle, its pointer and the bench client key, and OPENAI_BASE_URL pointing at the fake.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Miniflare } from 'miniflare';
import { ADMIN_TOKEN } from './worker-setup';

const WRANGLER = readFileSync(new URL('../wrangler.toml', import.meta.url), 'utf8');
const COMPATIBILITY_DATE = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(WRANGLER)?.[1] ?? '2026-04-01';

export interface FakeProcess {
  url: string;
  child: ChildProcess;
  pid: number;
}

/** A stand-in server in its own process: the fake provider, or another script that prints `{"port": N}`. */
export async function startFakeProcess(script = new URL('./proxy-upstream.ts', import.meta.url)): Promise<FakeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script.pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake upstream exited with ${code}`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return { url: `http://127.0.0.1:${port}`, child, pid: child.pid! };
}

export function stopFakeProcess(fake: FakeProcess): void {
  fake.child.stdin?.end();
}

export interface ProxyWorker {
  url: URL;
  mf: Miniflare;
  /** The workerd processes serving it (worker and its Durable Objects). */
  pids: number[];
}

/** `inspectorPort`: opens workerd's V8 inspector there (bench/profile-worker.ts takes CPU profiles through it). */
export async function startProxyWorker(scriptPath: string, persistDir: string, publicKey: string, upstream: string, extraBindings: Record<string, string> = {}, inspectorPort?: number): Promise<ProxyWorker> {
  const before = workerdChildren();
  const mf = new Miniflare({
    // One log line per request would load the machine under test: keep warnings and errors only.
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.resume();
      createInterface({ input: stderr }).on('line', (line) => {
        if (!line.includes('"event":"request"')) process.stderr.write(`${line}\n`);
      });
    },
    ...(inspectorPort === undefined ? {} : { inspectorPort }),
    scriptPath,
    modules: true,
    modulesRoot: dirname(scriptPath),
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: ['nodejs_compat'],
    host: '127.0.0.1',
    port: 0,
    kvNamespaces: ['BUNDLES'],
    kvPersist: persistDir,
    durableObjects: {
      BUDGETS: { className: 'BudgetCounter', useSQLite: true },
      DECISIONS: { className: 'DecisionLog', useSQLite: true },
      VERSION_STATS: { className: 'VersionStats', useSQLite: true },
    },
    bindings: {
      BUNDLE_PUBLIC_KEY: publicKey,
      ADMIN_TOKEN,
      POINTER_REFRESH_SECONDS: '10',
      FAIL_OPEN: 'false',
      MAX_BODY_BYTES: '1048576',
      OPENAI_BASE_URL: upstream,
      OPENAI_API_KEY: 'sk-bench-upstream-key',
      ANTHROPIC_BASE_URL: upstream,
      ANTHROPIC_API_KEY: 'sk-ant-bench-upstream-key',
      ...extraBindings,
    },
  });
  const url = await mf.ready;
  return { url, mf, pids: [...workerdChildren()].filter((pid) => !before.has(pid)) };
}

/** workerd processes started by this process (Linux /proc; none elsewhere). */
function workerdChildren(): Set<number> {
  const pids = new Set<number>();
  const dirs = existsSync('/proc') ? readdirSync('/proc').filter((d) => /^\d+$/.test(d)) : [];
  for (const pid of dirs) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.includes('(workerd)') && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) pids.add(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
