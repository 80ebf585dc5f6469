// Expensive models used for short prompts: a cheaper model of the same provider answers those as
// well, so suggest routing them (route_model) below a prompt size.
import type { Policy } from '../../policy/types';
import { bump, number, slug, text, topCounts } from './fields';
import { confidenceOf, type Finder, type Suggestion } from './types';

/** Prompts under this many estimated tokens are short. */
export const SHORT_TOKENS = 300;
/** At least this many short requests on the model, */
export const MIN_SHORT_REQUESTS = 20;
/** and at least this share of the model's requests. */
export const MIN_SHORT_SHARE = 0.5;

const CHEAPER: Record<string, string> = {
  'gpt-4o': 'gpt-4o-mini', 'gpt-4': 'gpt-4o-mini', 'gpt-4-turbo': 'gpt-4o-mini', 'gpt-4.1': 'gpt-4.1-mini', o1: 'gpt-4o-mini', o3: 'o4-mini',
  'gemini-1.5-pro': 'gemini-1.5-flash', 'gemini-2.5-pro': 'gemini-2.5-flash',
};
const CLAUDE_EXPENSIVE = /^claude-(3-opus|3-5-sonnet|3-7-sonnet|sonnet-4|opus-4)/;

/** The cheaper model a short prompt for `model` can go to, if `model` is an expensive one. */
export function cheaperModel(model: string): string | undefined {
  if (CHEAPER[model]) return CHEAPER[model];
  if (CLAUDE_EXPENSIVE.test(model)) return model.endsWith('-latest') ? 'claude-3-5-haiku-latest' : 'claude-3-5-haiku-20241022';
  return undefined;
}

export const findShortPromptsOnExpensiveModels: Finder = ({ records }) => {
  const byModel = new Map<string, { total: number; short: number; cost: number; teams: Map<string, number> }>();
  for (const r of records) {
    const model = text(r, 'llm.model');
    if (!model || !cheaperModel(model)) continue;
    let m = byModel.get(model);
    if (!m) byModel.set(model, (m = { total: 0, short: 0, cost: 0, teams: new Map() }));
    m.total++;
    const tokens = number(r, 'llm.estimatedTokens');
    if (tokens === undefined || tokens >= SHORT_TOKENS) continue;
    m.short++;
    m.cost += r.estimatedCostUsd ?? number(r, 'llm.estimatedCost') ?? 0;
    bump(m.teams, r.subject?.teamId ?? text(r, 'team.id'));
  }
  const out: Suggestion[] = [];
  for (const [model, m] of [...byModel].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const share = m.short / m.total;
    if (m.short < MIN_SHORT_REQUESTS || share < MIN_SHORT_SHARE) continue;
    const cheaper = cheaperModel(model)!;
    const id = `route-short-${slug(model)}`;
    const policy: Policy = {
      metadata: { id, description: `Short prompts (under ${SHORT_TOKENS} tokens) for ${model} go to ${cheaper}.` },
      rules: [{
        id: 'route-short-prompts',
        condition: { operator: 'and', conditions: [{ operator: 'eq', field: 'llm.model', value: model }, { operator: 'lt', field: 'llm.estimatedTokens', value: SHORT_TOKENS }] },
        action: { decision: 'modify', reason: `short prompts do not need ${model}`, obligations: [{ type: 'route_model', model: cheaper }] },
      }],
    };
    const context = (tokens: number) => ({ llm: { model, estimatedTokens: tokens } });
    out.push({
      id: `short-prompts-expensive-model:${model}`,
      category: 'optimization',
      metric: 'short_prompts_on_expensive_model',
      recommendation: `Route prompts under ${SHORT_TOKENS} tokens from ${model} to ${cheaper}: ${m.short} of its ${m.total} requests (${Math.round(share * 100)}%) were that short.`,
      priority: share >= 0.8 ? 'high' : 'medium',
      effort: 'low',
      impact: m.cost >= 1 ? 'high' : 'medium',
      confidence: confidenceOf(m.short),
      evidence: { model, cheaperModel: cheaper, requests: m.total, shortRequests: m.short, shortShare: Math.round(share * 1000) / 1000, shortTokensBelow: SHORT_TOKENS, shortEstimatedCostUsd: Math.round(m.cost * 1e6) / 1e6, teams: topCounts(m.teams) },
      policy,
      tests: [
        { name: `a short ${model} prompt goes to ${cheaper}`, context: context(SHORT_TOKENS - 1), expect: { obligations: [{ type: 'route_model', model: cheaper }] } },
        { name: `a long ${model} prompt stays on ${model}`, context: context(SHORT_TOKENS), expect: { obligations: [] } },
      ],
    });
  }
  return out;
};
