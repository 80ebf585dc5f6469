// unknown-model and model-alias: model ids in llm.model / llm.canonicalModel allowlists checked
// against the bundled price table, each finding located at the id, with the canonical or the
// closest known id as its suggestion.
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../src/cli/commands/lint';
import { lintMarked, lintFiles } from './helpers';

const rule = (condition: string) => `metadata: { id: models }
rules:
  - id: allowlist
    condition: ${condition}
    action: { decision: deny, reason: "This model is not approved for your team" }
`;

const modelFindings = (files: Record<string, string>) =>
  lintFiles(files).filter((f) => f.code === 'unknown-model' || f.code === 'model-alias');

describe('unknown-model', () => {
  it('warns about a misspelt id in a canonicalModel list, at the id, and suggests the closest known one', () => {
    const { findings, line, column } = lintMarked(rule('{ operator: not_in, field: llm.canonicalModel, value: [gpt-4o, ▸gpt-4o-mnii] }'), 'unknown-model');
    expect(findings).toEqual([{
      severity: 'warning',
      code: 'unknown-model',
      message: 'llm.canonicalModel not_in: "gpt-4o-mnii" is not a model id the price table knows, so llm.canonicalModel is never this value',
      suggestion: 'did you mean gpt-4o-mini?',
      policyId: 'models',
      ruleId: 'allowlist',
      file: 'policy.yaml',
      line,
      column,
      path: 'rules[0].condition.value[1]',
    }]);
  });

  it('warns about an id nothing is close to without a did-you-mean, on llm.model too', () => {
    const { findings, line } = lintMarked(rule('{ operator: eq, field: llm.model, value: ▸acme-internal-llm }'), 'unknown-model');
    expect(findings).toEqual([expect.objectContaining({ line, path: 'rules[0].condition.value', message: 'llm.model eq: "acme-internal-llm" is not a model id the price table knows' })]);
    expect(findings[0].suggestion).not.toMatch(/did you mean/);
  });

  it('prints as one located lowercase line', () => {
    const [finding] = modelFindings({ 'models.yaml': rule('{ operator: in, field: llm.canonicalModel, value: [claude-3-5-hiaku-latest] }') });
    expect(formatFinding(finding)).toBe('models.yaml:4: warning: [unknown-model] models/allowlist: llm.canonicalModel in: "claude-3-5-hiaku-latest" is not a model id the price table knows, so llm.canonicalModel is never this value (did you mean claude-3-5-haiku-latest?)');
  });
});

describe('unknown-model on route_model', () => {
  const routed = (model: string) => `metadata: { id: models }
rules:
  - id: cheaper
    condition: { operator: eq, field: team.id, value: interns }
    action:
      decision: allow
      obligations:
        - { type: route_model, model: ${model} }
`;

  it('warns about a misspelt routed model at the obligation, with the closest known id', () => {
    const { findings, line } = lintMarked(routed('▸gpt-4o-mnii'), 'unknown-model');
    expect(findings).toEqual([expect.objectContaining({
      line,
      path: 'rules[0].action.obligations[0].model',
      message: 'route_model: "gpt-4o-mnii" is not a model id the price table knows, so the routed calls get no cost estimate',
      suggestion: 'did you mean gpt-4o-mini?',
    })]);
  });

  it('takes a known id or an alias as it is (the provider accepts an alias)', () => {
    expect(modelFindings({ 'a.yaml': routed('gpt-4o-mini'), 'b.yaml': routed('claude-3-5-haiku-latest').replace('id: models', 'id: models-b') })).toEqual([]);
  });
});

describe('model-alias', () => {
  it('on llm.canonicalModel: an alias never matches, so it names the canonical id to write', () => {
    const { findings, line, column } = lintMarked(rule('{ operator: in, field: llm.canonicalModel, value: [gpt-4o-mini, ▸claude-3-5-haiku] }'), 'model-alias');
    expect(findings).toEqual([expect.objectContaining({
      severity: 'warning',
      line,
      column,
      message: 'llm.canonicalModel in: "claude-3-5-haiku" is an alias of claude-3-5-haiku-latest, and llm.canonicalModel is always claude-3-5-haiku-latest, so this value never matches',
      suggestion: 'write claude-3-5-haiku-latest',
    })]);
  });

  it('on llm.model: a dated snapshot or gateway name covers only that spelling, so it points to llm.canonicalModel', () => {
    const findings = modelFindings({ 'models.yaml': rule(`
      operator: or
      conditions:
        - { operator: ne, field: llm.model, value: claude-sonnet-4 }
        - { operator: in, field: llm.model, value: [gpt-4o-2024-08-06, openai/gpt-4o-mini] }`) });
    expect(findings.map((f) => [f.code, f.line, f.suggestion])).toEqual([
      ['model-alias', 7, 'compare llm.canonicalModel with claude-sonnet-4-0'],
      ['model-alias', 8, 'compare llm.canonicalModel with gpt-4o'],
      ['model-alias', 8, 'compare llm.canonicalModel with gpt-4o-mini'],
    ]);
    expect(findings[0].message).toBe('llm.model ne: "claude-sonnet-4" is an alias of claude-sonnet-4-0; llm.model is compared as sent, so the model\'s other names and dated snapshots do not match');
  });
});

describe('model ids lint leaves alone', () => {
  it('canonical ids, other operators and other fields', () => {
    expect(modelFindings({ 'models.yaml': rule(`
      operator: and
      conditions:
        - { operator: in, field: llm.canonicalModel, value: [gpt-4o-mini, claude-3-5-haiku-latest, claude-sonnet-4-0, gemini-2.5-flash] }
        - { operator: eq, field: llm.model, value: gpt-4o }
        - { operator: starts_with, field: llm.model, value: claude-3 }
        - { operator: matches, field: llm.model, value: "^gpt-4o-mnii" }
        - { operator: eq, field: metadata.model, value: not-a-model }`) })).toEqual([]);
  });
});
