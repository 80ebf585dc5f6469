// Writes test/fixtures/signed-bundle.json and its public key: a bundle signed in Node that the
// workerd tests verify, proving both runtimes agree on canonical bytes and Ed25519.
// Run once (`npx tsx scripts/make-signing-fixture.ts`) and commit the output. The private key
// is thrown away, so the fixture cannot be re-signed: rerun the script to replace it.
import { writeFileSync } from 'node:fs';
import type { Bundle, Policy } from '../src/policy/types';
import { computeBundleHash, generateKeyPair, signBundle, verifyBundle } from '../src/bundle/index';

const policies: Policy[] = [
  {
    metadata: {
      id: 'budget-guard',
      name: 'Team budgets',
      priority: 50,
      tags: ['cost', 'teams'],
      // Values whose canonical form is easy to get wrong: key order by UTF-16 code units,
      // ES6 number printing, escapes and non-ASCII text.
      source: {
        '€': 'euro',
        '\r': 'carriage return',
        'ö': 'o umlaut',
        '😀': 'emoji',
        '1': 'digit',
        numbers: [1e21, 1e-7, 0.1, 333333333.3333333, 5e-324, 1.7976931348623157e308, -1.5, 100],
        text: 'quote " backslash \\ tab \t line\u2028separator ünïcödé',
      },
    },
    rules: [
      {
        id: 'monthly-cap',
        priority: 100,
        condition: { operator: 'gt', field: 'usage.costUsd', value: 1000 },
        action: { decision: 'deny', reason: 'team over its monthly budget' },
      },
    ],
    budgets: [{ id: 'team-month', scope: 'team.id', window: 'month', limit: { costUsd: 1000 } }],
  },
  {
    metadata: { id: 'pii-redaction', priority: 200 },
    rules: [
      {
        id: 'redact-email',
        condition: { operator: 'matches', field: 'request.text', value: '[a-z]+@[a-z]+\\.com', flags: 'i' },
        action: { decision: 'modify', obligations: [{ type: 'redact_pii', types: ['email'] }] },
      },
    ],
  },
];

const keys = await generateKeyPair();
const unsigned: Omit<Bundle, 'hash' | 'signature'> = {
  format: 'llm-policy-bundle/v1',
  version: '1.4.0',
  createdAt: '2026-11-22T10:00:00Z',
  defaultDecision: 'allow',
  policies,
};
const bundle = await signBundle({ ...unsigned, hash: await computeBundleHash(unsigned) }, keys.privateKey);
if (!(await verifyBundle(bundle, keys.publicKey))) throw new Error('fixture does not verify in Node');

const dir = new URL('../test/fixtures/', import.meta.url);
writeFileSync(new URL('signed-bundle.json', dir), `${JSON.stringify(bundle, null, 2)}\n`);
writeFileSync(new URL('signed-bundle.public-key.json', dir), `${JSON.stringify({ publicKey: keys.publicKey, keyId: keys.keyId }, null, 2)}\n`);
console.log(`wrote test/fixtures/signed-bundle.json (${bundle.hash}) signed by key ${keys.keyId}`);
