// The tour run where a user keeps their policy: often a project root holding package.json, a lock
// file, a tsconfig and a compiled bundle. Only policy files are loaded, and the CLI says which.
import { describe, expect, it } from 'vitest';
import { runInProcess, SEED_POLICY, tempDir } from './support';

describe('a policy folder that is also a project root', { timeout: 60_000 }, () => {
  const root = tempDir();
  root.write('my-policy.yaml', SEED_POLICY);
  root.write('package.json', JSON.stringify({ name: 'my-app', version: '1.0.0', dependencies: {} }));
  root.write('package-lock.json', JSON.stringify({ name: 'my-app', lockfileVersion: 3, packages: {} }));
  root.write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true } }));
  root.write('empty.json', '   \n');

  it('evaluates with only the policy files, naming what it loaded and skipped', async () => {
    const r = await runInProcess([
      'evaluate', root.dir, '--no-enrich',
      '--context', JSON.stringify({ llm: { estimatedCost: 2 }, team: { tier: 'free' } }),
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).decision).toBe('deny');
    expect(r.stderr).toMatch(/loaded 2 policy files: .*empty\.json, .*my-policy\.yaml; skipped/);
    expect(r.stderr).toMatch(/package\.json \(npm manifest\)/);
    expect(r.stderr).toMatch(/tsconfig\.json \(TypeScript config\)/);
  });

  it('an empty JSON file is zero policies, with a warning instead of a parse error', async () => {
    const r = await runInProcess(['lint', root.dir]);
    expect(r.stderr).toMatch(/warning: .*empty\.json: no policies/);
    expect(r.stderr).not.toMatch(/unexpected end of input/);
  });

  it('skips a compiled bundle in the folder', async () => {
    const out = root.path('bundle.json');
    expect((await runInProcess(['compile', root.path('my-policy.yaml'), '--version', '1.0.0', '--out', out])).code).toBe(0);
    const r = await runInProcess(['lint', root.dir]);
    expect(r.stderr).not.toMatch(/unknown key/);
    expect(r.stderr).toMatch(/bundle\.json \(compiled bundle\)/);
  });

  it('compile --key before keygen says to run keygen first', async () => {
    const r = await runInProcess(['compile', root.path('my-policy.yaml'), '--version', '1.0.0', '--key', root.path('keys/private.key')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run `llm-policy keygen --out keys\/` first/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
