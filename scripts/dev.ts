// `npm run dev [-- --policies DIR --port N --persist-to DIR]`: the local edge. Creates the dev key
// pair and `.dev.vars` when absent, builds the Policy Studio's assets, seeds the dev client key and
// publishes the policy folder (a new patch version each run) into the local KV that `wrangler dev`
// serves, starts `wrangler dev`, waits for /healthz and prints how to call it. Ctrl-C stops wrangler.
// --persist-to keeps the local state elsewhere than .wrangler/state (the Studio's browser tests
// use a fresh folder each run).
// wrangler dev bundles the worker itself, and the publisher runs from source through tsx, so
// there is nothing to build first.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { errorLine } from '../src/cli/errors';
import { PolicyError } from '../src/policy/errors';
import { seedDevClientKey, DEV_CLIENT_KEY, DEV_CLIENT_SUBJECT } from '../src/publish/dev-client-key';
import { ensureDevVars } from '../src/publish/dev-vars';
import { waitForHealth } from '../src/publish/health';
import { ensureDevKeyPair, DEV_KEY_DIR } from '../src/publish/keys';
import { withTarget } from '../src/publish/kv-target';
import { LocalKvTarget } from '../src/publish/local-kv-target';
import { publish } from '../src/publish/pipeline';
import { canaryBucket } from '../src/worker/bundle/canary';
// @ts-expect-error: a plain .mjs script without types
import { buildStudio } from './build-studio.mjs';

const HOST = '127.0.0.1';
// No metrics, and no fetch of https://workers.cloudflare.com/cf.json for request.cf at start-up
// (miniflare's CLOUDFLARE_CF_FETCH_ENABLED): offline it printed an ENOTFOUND stack trace on every
// start; the worker reads nothing from request.cf, so miniflare's default object does.
// Locally every request's log line is wanted (production samples plain allows: README).
const DEV_VARS = ['--var', 'ACCESS_LOG_SAMPLE_RATE:1'];
const DEV_WRANGLER_ENV = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
const STARTUP_TIMEOUT_MS = 120_000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { policies: { type: 'string', default: 'policies' }, port: { type: 'string', default: '8787' }, 'persist-to': { type: 'string' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new PolicyError('input_error', `--port must be a port number, got ${JSON.stringify(values.port)}`);

  const key = await ensureDevKeyPair('.');
  if (key.created) say(`created the local dev key pair in ${DEV_KEY_DIR}/ (key ${key.keyId})`);
  await checkDevVars(key.publicKey);

  await buildStudio();
  const persistTo = values['persist-to'];
  const published = await withTarget(new LocalKvTarget({ persistTo }), async (target) => {
    await seedDevClientKey(target);
    return publish({
      dir: values.policies!,
      target,
      key,
      actor: 'npm run dev',
      reason: 'npm run dev',
      allowEmpty: true,
      // A dev restart serves the folder as it is now; a canary left in local KV is dropped, and said so.
      replaceCanary: true,
      // Local state signed by an earlier dev key (e.g. .dev-keys was deleted) is replaced.
      onUnverified: 'replace',
      log: say,
    });
  });
  if (published.replacedCanary) say(`dropped the canary ${published.replacedCanary} that was running in local KV (npm run dev publishes ${values.policies} as the stable)`);
  if (published.policies === 0) say(`WARNING: ${values.policies} holds no policies; every request gets the default decision`);
  say(`published ${published.version} (${published.policies} policies) to local KV`);

  // `npx wrangler dev`, minus npx: npm exec does not pass SIGINT/SIGTERM on, wrangler's bin does.
  const wranglerBin = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
  const persist = persistTo ? ['--persist-to', persistTo] : [];
  const wrangler = spawn(process.execPath, [wranglerBin, 'dev', '--ip', HOST, '--port', String(port), ...DEV_VARS, ...persist], { stdio: 'inherit', env: { ...process.env, ...DEV_WRANGLER_ENV } });
  stopWithParent(wrangler);
  const url = `http://${HOST}:${port}`;
  const health = await waitForHealth(url, { version: published.version, timeoutMs: STARTUP_TIMEOUT_MS, alive: () => wrangler.exitCode === null });
  if (wrangler.exitCode !== null) return;
  printReady(url, published.version, health);
}

async function checkDevVars(publicKey: string): Promise<void> {
  const vars = await ensureDevVars('.dev.vars', publicKey);
  if (vars.state === 'created') say('wrote .dev.vars (LOCAL_DEV, ADMIN_TOKEN, BUNDLE_PUBLIC_KEY of the dev key)');
  if (vars.state === 'mismatch') {
    const banner = '!'.repeat(78);
    say(banner);
    say(`WARNING: .dev.vars has BUNDLE_PUBLIC_KEY=${vars.found ?? '(not set)'}`);
    say(`         but the dev key in ${DEV_KEY_DIR}/public.key is ${publicKey}.`);
    say('         The local worker will refuse the bundles npm run dev publishes. Fix .dev.vars');
    say('         (or delete it and npm run dev writes a fresh one).');
    say(banner);
  }
}

function printReady(url: string, version: string, health: Awaited<ReturnType<typeof waitForHealth>>): void {
  if (health?.bundle?.version !== version) {
    say(`WARNING: ${url}/healthz did not report bundle ${version} yet (last answer: ${JSON.stringify(health)})`);
  }
  const body = JSON.stringify({ context: { llm: { provider: 'openai', model: 'gpt-4o-mini', prompt: 'Hello!', maxTokens: 100 } }, explain: true });
  say('');
  say(`local edge ready on ${url}  (bundle ${version}; Ctrl-C stops it)`);
  say('try:');
  say(`  curl -s ${url}/v1/evaluate -H 'Authorization: Bearer ${DEV_CLIENT_KEY}' -H 'content-type: application/json' -d '${body}'`);
  say(`  the Policy Studio: ${url}/studio (admin token dev-admin-token)`);
  const tenant = DEV_CLIENT_SUBJECT.team.id;
  // A canary serves buckets below its percent: a 10% or 50% canary never reaches bucket 65.
  const bucket = canaryBucket(tenant);
  say(`the dev key's tenant ${tenant} is in canary bucket ${bucket}: a canary reaches it from ${bucket + 1}% (npx llm-policy status --tenant ${tenant})`);
  say('');
}

/**
 * Signals go on to wrangler, and this process exits when wrangler has shut down (a terminal's
 * Ctrl-C reaches both anyway; a second SIGINT is harmless to wrangler).
 */
function stopWithParent(child: ChildProcess): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

function say(line: string): void {
  console.error(line);
}

main().catch((e) => {
  say(errorLine(e));
  process.exit(1);
});
