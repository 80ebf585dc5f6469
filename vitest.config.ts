import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// A fresh Ed25519 key pair per test run: the worker verifies with the public half (a binding, as
// in production) and the tests sign their bundles and pointers with the private half.
const testSigningKey = (() => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: String(publicKey.export({ format: 'jwk' }).x),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
  };
})();

const NATIVE_DEPENDENCIES = ['gpt-tokenizer', 'zod', 'hono', 'yaml', 're2js', '@pydantic/genai-prices', 'diff', 'eventsource-parser'];

/**
 * The tests must not see the developer's own `.dev.vars` (wrangler loads it beside wrangler.toml and
 * the pool offers no switch): every key it sets is given back its wrangler.toml [vars] value, or ''
 * for a key wrangler.toml does not declare. The bindings below then set what the tests need.
 */
function neutralizedDevVars(): Record<string, string> {
  if (!existsSync('.dev.vars')) return {};
  const keys = readFileSync('.dev.vars', 'utf8').split('\n').map((l) => /^\s*(?:export\s+)?([A-Za-z_][\w]*)\s*=/.exec(l)?.[1]).filter((k): k is string => !!k);
  const toml = readFileSync('wrangler.toml', 'utf8');
  const vars = toml.slice(toml.indexOf('\n[vars]') + 1).split(/\n\[/)[0];
  const declared = new Map([...vars.matchAll(/^([A-Za-z_]\w*)\s*=\s*"([^"]*)"/gm)].map((m) => [m[1], m[2]] as const));
  return Object.fromEntries(keys.map((k) => [k, declared.get(k) ?? '']));
}

// Two projects: the engine, lint and CLI run in Node (the CLI's home); the worker and a copy of
// the engine conformance table run inside workerd, so the engine is proven in both runtimes.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          // The Node tests keep no module state between files, so one module graph per worker
          // process serves them all: this halves the project's run time against a fresh one per file.
          isolate: false,
          include: ['test/engine/**/*.test.ts', 'test/policy/**/*.test.ts', 'test/testing/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/simulate/**/*.test.ts', 'test/lint/**/*.test.ts', 'test/bundle/**/*.test.ts', 'test/enrich/**/*.test.ts', 'test/policies/**/*.test.ts', 'test/rollout/**/*.test.ts', 'test/authoring/**/*.test.ts', 'test/structure/**/*.test.ts', 'test/editor/**/*.test.ts'],
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              // These dependencies load natively in workerd instead of through Vite's module runner,
              // which evaluates large modules (the tokenizer ranks, zod) 10-20x slower: ~4 s less
              // per test file. They are plain ES modules, as in the deployed bundle.
              modulesRules: [{ type: 'ESModule', include: NATIVE_DEPENDENCIES.map((name) => `**/node_modules/${name}/**/*.js`) }],
              bindings: {
                ...neutralizedDevVars(),
                BUNDLE_PUBLIC_KEY: testSigningKey.publicKey,
                TEST_BUNDLE_PRIVATE_KEY: testSigningKey.privateKey,
                ADMIN_TOKEN: 'test-admin-token',
                // Local mode on, as under `npm run dev`: the dev credentials work on loopback hosts only.
                LOCAL_DEV: 'true',
                // The proxy's upstreams: the fake provider of test/proxy/support/global-setup.ts.
                OPENAI_BASE_URL: `http://127.0.0.1:${inject('fakeUpstreamPort')}`,
                ANTHROPIC_BASE_URL: `http://127.0.0.1:${inject('fakeUpstreamPort')}`,
                OPENAI_API_KEY: 'sk-worker-openai-key',
                ANTHROPIC_API_KEY: 'sk-ant-worker-anthropic-key',
                UPSTREAM_TIMEOUT_MS: '3000',
                // The MCP proxy's servers: the real SDK server of test/mcp/support/global-setup.ts.
                MCP_SERVERS: JSON.stringify({ tools: `http://127.0.0.1:${inject('mcpServerPort')}/sse`, 'tools-json': `http://127.0.0.1:${inject('mcpServerPort')}/json` }),
                // The fake provider's test controls (x-fake-reply, x-fake-trace ...) pass the proxy's
                // header allowlist the way an operator's own extra headers would.
                PROXY_FORWARD_HEADERS: 'x-fake-*',
                // Injection stage two's remote classifiers: test/worker/support/fake-classifier.ts.
                FAKE_CLASSIFIER_URL: `http://127.0.0.1:${inject('fakeClassifierPort')}`,
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/worker/**/*.test.ts', 'test/workerd/**/*.test.ts', 'test/proxy/**/*.test.ts', 'test/mcp/**/*.test.ts'],
          globalSetup: ['test/worker/support/studio-assets.ts', 'test/proxy/support/global-setup.ts', 'test/worker/support/fake-classifier-setup.ts', 'test/mcp/support/global-setup.ts'],
        },
      },
    ],
  },
});
