// keygen, compile --key, sign and verify: a round trip, and the ways a bundle fails to verify.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeRegExp, runInProcess, SEED_POLICY, spawnCli, tempDir } from './support';

const tmp = tempDir();
const policies = tmp.write('policies/cost.yaml', SEED_POLICY);
const keys = tmp.path('keys');
const bundleFile = tmp.path('bundle.json');

describe('keygen, compile --key, sign, verify', { timeout: 60_000 }, () => {
  it('round-trips through separate processes: keygen, compile --key, verify; a tampered bundle fails with its reason', () => {
    const keygen = spawnCli(['keygen', '--out', keys]);
    expect(keygen.code).toBe(0);
    const keyId = keygen.stdout.trim();
    expect(keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(statSync(`${keys}/private.key`).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${keys}/public.key`, 'utf8')).toMatch(/^[A-Za-z0-9_-]{43}\n$/);

    const compile = spawnCli(['compile', tmp.path('policies'), '--version', '1.2.0', '--key', `${keys}/private.key`, '--out', bundleFile]);
    expect(compile.code).toBe(0);
    expect(compile.stdout).toBe('');
    expect(compile.stderr).toContain(`wrote ${bundleFile}: bundle 1.2.0, 1 policy, 1 rule, sha256:`);
    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8'));
    expect(bundle).toMatchObject({ format: 'llm-policy-bundle/v1', version: '1.2.0', signature: { alg: 'Ed25519', keyId } });

    const verify = spawnCli(['verify', bundleFile, '--public-key', `${keys}/public.key`]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toBe(`${bundleFile}: valid: bundle 1.2.0, ${bundle.hash}, signed by key ${keyId}\n`);

    bundle.policies[0].rules[0].action.reason = 'Cost is fine';
    const tampered = tmp.write('tampered.json', JSON.stringify(bundle));
    const bad = spawnCli(['verify', tampered, '--public-key', `${keys}/public.key`]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(tampered)}: invalid: hash_mismatch: bundle content hashes to sha256:[0-9a-f]{64}, not ${bundle.hash}`));
  });

  it('refuses to overwrite a private key without --force, and replaces it with --force', async () => {
    const before = readFileSync(`${keys}/private.key`, 'utf8');
    const again = await runInProcess(['keygen', '--out', keys]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(keys)}/private.key already exists; pass --force to replace it`));
    expect(readFileSync(`${keys}/private.key`, 'utf8')).toBe(before);

    const other = tmp.path('other-keys');
    expect((await runInProcess(['keygen', '--out', other])).code).toBe(0);
    const forced = await runInProcess(['keygen', '--out', other, '--force']);
    expect(forced.code).toBe(0);
    expect(statSync(`${other}/private.key`).mode & 0o777).toBe(0o600);
  });

  it('signs an unsigned bundle; the wrong key or no signature fails verify with the reason', async () => {
    const unsigned = tmp.path('unsigned.json');
    expect((await runInProcess(['compile', policies, '--version', '1.3.0', '--out', unsigned])).code).toBe(0);
    const missing = await runInProcess(['verify', unsigned, '--public-key', `${keys}/public.key`]);
    expect(missing).toMatchObject({ code: 1, stderr: `error: ${unsigned}: invalid: missing_signature: document has no signature\n` });

    const signed = tmp.path('signed.json');
    const sign = await runInProcess(['sign', unsigned, '--key', `${keys}/private.key`, '--out', signed]);
    expect(sign.code).toBe(0);
    expect((await runInProcess(['verify', signed, '--public-key', `${keys}/public.key`])).code).toBe(0);

    const otherKeys = tmp.path('other-keys');
    const wrong = await runInProcess(['verify', signed, '--public-key', `${otherKeys}/public.key`]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/: invalid: wrong_key: signed with key [0-9a-f]{16}, but the verification key is [0-9a-f]{16}\n$/);

    // A bundle edited together with its hash: the hash matches, the signature does not.
    const doc = JSON.parse(readFileSync(signed, 'utf8'));
    const { computeBundleHash } = await import('../../src/bundle/index');
    doc.defaultDecision = 'deny';
    doc.hash = await computeBundleHash(doc);
    writeFileSync(signed, JSON.stringify(doc));
    const forged = await runInProcess(['verify', signed, '--public-key', `${keys}/public.key`]);
    expect(forged.stderr).toMatch(/: invalid: bad_signature: /);
  });

  it('compiles to stdout, and reports bad versions, keys and inputs in one line', async () => {
    const out = await runInProcess(['compile', policies, '--version', '0.1.0', '--default-decision', 'deny']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ version: '0.1.0', defaultDecision: 'deny' });
    expect(out.stderr).toMatch(/^bundle 0\.1\.0, 1 policy, 1 rule, sha256:[0-9a-f]{64}, unsigned\n$/);

    expect((await runInProcess(['compile', policies, '--version', '1.x'])).stderr).toBe('error: bundle version must be semver (like 1.4.0), got "1.x"\n');
    expect((await runInProcess(['compile', policies])).stderr).toBe('error: --version is required (see llm-policy compile --help)\n');
    const badKey = tmp.write('bad.key', 'not a key\n');
    const keyError = await runInProcess(['compile', policies, '--version', '1.0.0', '--key', badKey]);
    expect(keyError.code).toBe(1);
    expect(keyError.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(badKey)}: `));
    expect(keyError.stderr.trimEnd().split('\n')).toHaveLength(1);
    const notBundle = await runInProcess(['verify', policies, '--public-key', `${keys}/public.key`]);
    expect(notBundle).toMatchObject({ code: 1 });
    expect(notBundle.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(policies)}: bundle is not JSON`));
    const bundleAsPolicies = await runInProcess(['compile', bundleFile, '--version', '9.9.9']);
    expect(bundleAsPolicies.stderr).toBe(`error: ${bundleFile}: already a compiled bundle; use llm-policy sign to sign it\n`);
  });
});
