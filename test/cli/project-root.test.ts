// The tour run where a user keeps their policy: often a project root holding package.json, a lock
// file, a tsconfig and a compiled bundle. Only policy files are loaded, and the CLI says which.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runInProcess, SEED_POLICY, tempDir } from './support';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const tour = README.slice(README.indexOf('## Five-minute tour'), README.indexOf('## The policy language'));
/** The n-th fenced block of the tour with this language. */
function block(lang: string, n = 0): string {
  return [...tour.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))][n][1];
}

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

describe('the README tour, as written, in a folder holding this repository\'s root files', { timeout: 60_000 }, () => {
  const root = tempDir();
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'wrangler.toml', 'README.md']) {
    root.write(file, readFileSync(join(REPO, file), 'utf8'));
  }
  root.write('my-policy.yaml', block('yaml', 0));
  root.write('my-policy.test.yaml', block('yaml', 1));
  // Step 2's context, taken from the README's evaluate command.
  const context = JSON.parse(/--context '([\s\S]*?)'/.exec(block('bash', 0))![1]);

  it('step 2: evaluate prints allow, as the README says, and deny with maxTokens 20000', async () => {
    const r = await runInProcess(['evaluate', root.path('my-policy.yaml'), '--context', JSON.stringify(context)]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'allow', reasons: ['no rule matched: default allow'] });
    expect(tour).toContain('`"decision": "allow"` with\n`"reasons": ["no rule matched: default allow"]`');
    const costly = { ...context, llm: { ...context.llm, maxTokens: 20000 } };
    const denied = await runInProcess(['evaluate', root.path('my-policy.yaml'), '--context', JSON.stringify(costly)]);
    expect(JSON.parse(denied.stdout)).toMatchObject({ decision: 'deny', reasons: ['Cost exceeds free tier limit ($1.00)'] });
  });

  it('step 3: test and lint the folder, loading only the policy', async () => {
    const tested = await runInProcess(['test', root.dir]);
    expect(tested.stdout).toMatch(/2 passed, 0 failed/);
    expect(tested.code).toBe(0);
    const linted = await runInProcess(['lint', root.dir]);
    expect(linted.code).toBe(0);
    expect(linted.stderr).toMatch(/^note: loaded 1 policy file: .*my-policy\.yaml; skipped .*package-lock\.json \(npm manifest\)/m);
  });

  it('step 4: keygen, then compile with the key it wrote', async () => {
    expect(tour).toContain('npx llm-policy keygen --out keys/');
    expect(tour).toContain('--key keys/private.key');
    expect((await runInProcess(['keygen', '--out', root.path('keys')])).code).toBe(0);
    const r = await runInProcess(['compile', root.dir, '--version', '1.0.0', '--key', root.path('keys', 'private.key'), '--out', root.path('bundle.json')]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(root.path('bundle.json'), 'utf8')).signature).toBeDefined();
  });

  it('step 5 defines $ADMIN and $CLIENT_KEY before the README uses them', () => {
    const first = (name: string) => README.indexOf(`$${name}`);
    expect(README.indexOf('export ADMIN=dev-admin-token')).toBeGreaterThan(-1);
    expect(README.indexOf('export ADMIN=dev-admin-token')).toBeLessThan(first('ADMIN'));
    expect(README.indexOf('export CLIENT_KEY=dev-client-key')).toBeGreaterThan(-1);
    expect(README.indexOf('export CLIENT_KEY=dev-client-key')).toBeLessThan(first('CLIENT_KEY'));
  });
});
