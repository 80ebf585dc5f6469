// The starter sets of templates/ (llm-policy init --template NAME): each lints without a single
// finding, passes its own tests, tests every rule on both sides, and names the controls it implements.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { lint } from '../../src/lint/index';
import { loadPolicySet } from '../../src/node/policy-set';
import { runPolicyTests } from '../../src/testing/index';
import { ruleCoverage } from './rule-coverage';

const ROOT = join(import.meta.dirname, '..', '..', 'templates');
const TEMPLATES = readdirSync(ROOT).filter((n) => statSync(join(ROOT, n)).isDirectory()).sort();

/** How each compliance template cites its controls, in every policy's description. */
const CONTROL: Record<string, RegExp> = {
  soc2: /SOC 2 (CC\d\.\d|C1\.\d|P\d\.\d)/,
  hipaa: /HIPAA §164\.\d{3}\([a-z]\)/,
  gdpr: /GDPR Art\. \d+/,
  'pci-dss': /PCI DSS \d+\.\d+/,
  'eu-ai-act': /EU AI Act Art\. \d+/,
};

describe('templates', () => {
  it('has the documented starter sets, and ships them in the package', () => {
    expect(TEMPLATES).toEqual(expect.arrayContaining(['startup', 'soc2', 'hipaa', 'gdpr', 'pci-dss', 'eu-ai-act']));
    expect(pkg.files).toContain('templates');
  });
});

describe.each(TEMPLATES)('template %s', (name) => {
  const dir = join(ROOT, name);

  it('has a README whose first paragraph says what it covers', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toMatch(new RegExp(`^# ${name}\\n\\n\\S`));
  });

  it('lints without any finding', async () => {
    const set = await loadPolicySet(dir);
    expect(set.files.length).toBeGreaterThanOrEqual(3);
    expect(lint(set.policies).map((f) => `${basename(f.file ?? '')}:${f.line}: ${f.severity}: ${f.message}`)).toEqual([]);
  });

  it('passes its own tests, one test file beside each policy file', async () => {
    const set = await loadPolicySet(dir);
    for (const file of set.files) {
      expect(set.testFiles, `tests for ${basename(file)}`).toContain(file.replace(/\.yaml$/, '.test.yaml'));
      expect(readFileSync(file, 'utf8'), `${basename(file)} starts with a comment`).toMatch(/^# \S/);
    }
    const run = await runPolicyTests(dir);
    expect(run.results.filter((r) => !r.ok).map((r) => `${basename(r.file)}: ${r.name}: ${r.message}`)).toEqual([]);
    expect(run.passed).toBeGreaterThanOrEqual(4 * set.files.length);
  });

  it('tests every rule both matching and not matching', async () => {
    expect(await ruleCoverage(dir)).toEqual({ neverMatched: [], alwaysMatched: [] });
  });

  it('documents each policy: a description, tags, and the control it implements', async () => {
    const { policies } = await loadPolicySet(dir);
    for (const policy of policies) {
      const { id, description, tags } = policy.metadata;
      expect(id.startsWith(`${name}-`), `${id} is prefixed with the template name, so templates combine`).toBe(true);
      expect(tags, id).toContain(name);
      if (CONTROL[name]) expect(description, id).toMatch(CONTROL[name]);
      else expect(description, id).toMatch(/\S/);
    }
  });
});
