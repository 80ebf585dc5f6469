// Every model id the README and the shipped examples and templates mention, against the shipped
// model allowlist (policies/model-allowlist.yaml): a reader who copies an example must not hit
// deny-unapproved-model, unless the id is one of the few the allowlist refuses on purpose.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enrich } from '../../src/enrich/index';
import { compileBundle, loadBundle } from '../../src/engine/index';
import { loadPolicySources } from '../../src/node/policy-set';

const ROOT = join(import.meta.dirname, '..', '..');

/** Mentioned, and refused by the shipped allowlist on purpose (each with why). */
const REFUSED: Record<string, string> = {
  'gpt-4': 'legacy, priced far above gpt-4o; the tour evaluates it against my-policy.yaml only',
  'gpt-4-32k': 'legacy; the allowlist test for "unapproved even for enterprise"',
  'claude-3-opus-latest': 'legacy (claude-3-opus); only the startup template lists it',
  'mistral-large': 'another provider, only in the soc2 and hipaa templates',
  'llama-3-70b': 'another provider, only in the pci-dss template',
  'gpt-4o-mnii': 'the misspelling the README\'s lint section shows unknown-model catching',
};

const MODEL_ID = /(?<![\w@/.-])(?:gpt-[0-9][\w.-]*|o[134](?:-mini)?|claude-[\w.-]+|gemini-[\w.-]+|text-embedding-[\w-]+|mistral-[\w-]+|llama-[\w.-]+)(?![\w@/])/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ya?ml|json|md)$/.test(name) ? [path] : [];
  });
}

function mentionedModelIds(): string[] {
  const sources = [join(ROOT, 'README.md'), ...files(join(ROOT, 'policies')), ...files(join(ROOT, 'templates'))];
  const ids = new Set<string>();
  for (const file of sources) {
    for (const [match] of readFileSync(file, 'utf8').matchAll(MODEL_ID)) {
      // Trailing punctuation of prose and file names built from an id are not part of it.
      const id = match.replace(/[.-]+$/, '').replace(/\.ya?ml$/, '');
      ids.add(id);
    }
  }
  return [...ids].sort();
}

async function allowlist() {
  const set = await loadPolicySources([join(ROOT, 'policies', 'model-allowlist.yaml')]);
  return loadBundle(await compileBundle(set.policies, { version: '1.0.0' }));
}

describe('model ids in the README, examples and templates', () => {
  const ids = mentionedModelIds();

  it('finds the ids the docs use (the extraction works)', () => {
    expect(ids).toEqual(expect.arrayContaining(['claude-3-5-haiku-latest', 'gpt-4o-mini', 'text-embedding-3-small', 'gpt-4o-2024-08-06', 'o3']));
  });

  it.each(ids)('%s passes deny-unapproved-model, or is refused on purpose', async (model) => {
    const evaluator = await allowlist();
    const context = enrich({ llm: { model }, team: { id: 't', tier: 'enterprise' } }, { only: ['model'] });
    const decision = evaluator.evaluate(context);
    const denied = decision.matchedRules.some((r) => r.ruleId === 'deny-unapproved-model');
    expect(denied, REFUSED[model] ?? `${model} is mentioned as usable but the shipped allowlist denies it`).toBe(model in REFUSED);
  });
});
