// What the Studio's browser tests (test/studio) and its bench (bench/studio.ts) share: Debian's
// Chromium (installed with apt when missing and we are root; `npx playwright install` cannot
// download here), and one `npm run dev` on a free port with a fresh state folder, so nothing
// touches the developer's own .wrangler/state.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ADMIN_TOKEN = 'dev-admin-token';
export const CLIENT_KEY = 'dev-client-key';
const READY = /local edge ready on (http:\/\/\S+)/;

/** Makes sure /usr/bin/chromium exists: apt-get as root, else one clear error. */
export function ensureChromium(log: (line: string) => void = () => undefined): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0) {
    throw new Error(`the studio browser tests need Chromium at ${CHROMIUM}; install it with: sudo apt-get install -y chromium`);
  }
  log(`installing chromium (${CHROMIUM} is missing)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get install chromium did not provide ${CHROMIUM}`);
  return CHROMIUM;
}

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface DevServer {
  url: string;
  /** The state folder it serves (pass as --persist-to to `llm-policy publish --target local`). */
  persistTo: string;
  /** What it printed so far (for a failure message). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `npm run dev -- --port <free> --persist-to <temp>` and resolves once it prints ready. */
export async function startDevServer(opts: { timeoutMs?: number } = {}): Promise<DevServer> {
  const persistTo = await mkdtemp(join(tmpdir(), 'studio-dev-'));
  const port = await freePort();
  // Its own process group, so stopping it stops npm, tsx and wrangler together.
  const child = spawn('npm', ['run', '--silent', 'dev', '--', '--port', String(port), '--persist-to', persistTo], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      const killLater = setTimeout(() => kill(child), 5000);
      await exited;
      clearTimeout(killLater);
    }
    await rm(persistTo, { recursive: true, force: true });
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run dev did not get ready in ${opts.timeoutMs ?? 120_000} ms:\n${output}`)), opts.timeoutMs ?? 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = READY.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run dev exited (${code}) before it was ready:\n${output}`));
    });
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return { url, persistTo, output: () => output, stop };
}

function kill(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}
