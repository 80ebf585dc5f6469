// The README's Agents recipes are what users copy: each must parse, lint without errors, and
// decide as the README says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileBundle, loadBundle } from '../../src/engine/index';
import { lint } from '../../src/lint/index';
import { parsePolicies } from '../../src/policy/parse';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('\n## Agents\n');
// The section's own text, up to its first subsection (MCP and approvals have theirs) or the next section.
const ends = ['\n## ', '\n### '].map((h) => readme.indexOf(h, start + 1)).filter((i) => i > start);
const section = readme.slice(start, Math.min(...ends));
const recipes = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
const load = async (yaml: string) => loadBundle(await compileBundle(parsePolicies(yaml, { filename: 'README.md' }), { version: '1.0.0' }));
const calls = (...list: Array<{ name: string; arguments?: Record<string, unknown>; argumentsText?: string }>) =>
  ({ response: { toolCalls: list.map((c) => ({ argumentsText: JSON.stringify(c.arguments ?? {}), ...c })) } });

describe('README Agents recipes', () => {
  it('has the three recipes, each parsing and linting without errors', () => {
    expect(recipes).toHaveLength(3);
    for (const recipe of recipes) expect(lint(parsePolicies(recipe)).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('tool allowlist per team', async () => {
    const evaluator = await load(recipes[0]);
    const support = { team: { id: 'support' } };
    expect(evaluator.evaluate({ ...support, ...calls({ name: 'search_kb' }, { name: 'get_order' }) }, { stage: 'response' }).decision).toBe('allow');
    expect(evaluator.evaluate({ ...support, ...calls({ name: 'search_kb' }, { name: 'refund' }) }, { stage: 'response' }).decision).toBe('deny');
    expect(evaluator.evaluate({ team: { id: 'sales' }, ...calls({ name: 'refund' }) }, { stage: 'response' }).decision).toBe('allow');
    expect(evaluator.evaluate({ team: { id: 'sales' } }).obligations).toEqual([{ type: 'remove_tools', names: ['run_shell'] }]);
    expect(evaluator.evaluate({ team: { id: 'platform' } }).obligations).toEqual([]);
  });

  it('argument limits and injected tool output', async () => {
    const evaluator = await load(recipes[1]);
    const user = { user: { approvalLimit: 100 } };
    const transfer = (amount?: number) => calls({ name: 'transfer_funds', arguments: amount === undefined ? {} : { amount } });
    expect(evaluator.evaluate({ ...user, ...transfer(50) }, { stage: 'response' }).decision).toBe('allow');
    expect(evaluator.evaluate({ ...user, ...transfer(500) }, { stage: 'response' }).decision).toBe('deny');
    expect(evaluator.evaluate({ ...user, ...transfer() }, { stage: 'response' }).decision).toBe('deny');
    expect(evaluator.evaluate(calls({ name: 'shell', argumentsText: '{"cmd":"rm  -rf /tmp/x"}' }), { stage: 'response' }).decision).toBe('deny');
    expect(evaluator.evaluate({ llm: { toolResultsInjectionScore: 0.8, toolResultsInjectionSignals: ['tool_abuse'] } })).toMatchObject({
      decision: 'deny', reasons: ['a tool result carries instructions (["tool_abuse"])'],
    });
  });

  it('session limits: a budget scoped on agent.sessionId, and the step', async () => {
    const [policy] = parsePolicies(recipes[2]);
    expect(policy.budgets).toEqual([{ id: 'session-spend', scope: 'agent.sessionId', window: 'month', limit: { costUsd: 5, requests: 200 } }]);
    const evaluator = await load(recipes[2]);
    expect(evaluator.evaluate({ agent: { sessionId: 's1', step: 201 } }).reasons).toEqual(['session s1 reached step 201: the limit is 200']);
    expect(evaluator.evaluate({ agent: { sessionId: 's1', step: 200 } }).decision).toBe('allow');
  });
});
