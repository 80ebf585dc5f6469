// PII reaching production: requests in which enrichment found personal data, in the production
// namespace, that the policies allowed. One is already worth a finding.
import { PII_TYPES } from '../../lint/known-fields';
import type { Policy } from '../../policy/types';
import { bump, field, policyDecision, text, topCounts } from './fields';
import { confidenceOf, type Finder } from './types';

export const PRODUCTION = 'production';

export const findPiiInProduction: Finder = ({ records }) => {
  let reached = 0;
  const types = new Map<string, number>();
  const teams = new Map<string, number>();
  for (const r of records) {
    if (field(r, 'llm.containsPII') !== true) continue;
    const namespace = text(r, 'metadata.namespace') ?? text(r, 'project.environment');
    if (namespace !== PRODUCTION || policyDecision(r) !== 'allow') continue;
    reached++;
    const found = field(r, 'llm.piiTypes');
    for (const t of Array.isArray(found) ? found : []) if (typeof t === 'string') bump(types, t);
    bump(teams, r.subject?.teamId ?? text(r, 'team.id'));
  }
  if (reached === 0) return [];
  const known = [...types.keys()].filter((t) => PII_TYPES.includes(t)).sort();
  const redact = known.length > 0 ? { type: 'redact_pii' as const, types: known } : { type: 'redact_pii' as const };
  const policy: Policy = {
    metadata: { id: 'redact-pii-in-production', namespace: PRODUCTION, description: 'Personal data found in production prompts is redacted before it reaches the provider.' },
    rules: [{
      id: 'redact-pii',
      condition: { operator: 'eq', field: 'llm.containsPII', value: true },
      action: { decision: 'modify', reason: 'personal data is redacted in production', obligations: [redact] },
    }],
  };
  const context = (pii: boolean, environment: string) => ({ llm: { containsPII: pii, piiTypes: pii ? known : [] }, project: { environment } });
  return [{
    id: 'pii-in-production',
    category: 'risk',
    metric: 'pii_reaching_production',
    recommendation: `Redact personal data in production: ${reached} allowed production requests carried ${known.length ? known.join(', ') : 'PII'}.`,
    priority: 'high',
    effort: 'low',
    impact: 'high',
    confidence: confidenceOf(reached),
    evidence: { requests: reached, piiTypes: topCounts(types, 10), teams: topCounts(teams), note: 'redaction obligations applied then are not in the records' },
    policy,
    tests: [
      { name: 'PII in a production prompt is redacted', context: context(true, PRODUCTION), expect: { obligations: [redact] } },
      { name: 'a production prompt without PII is left alone', context: context(false, PRODUCTION), expect: { obligations: [] } },
      { name: 'PII outside production is left to other policies', context: context(true, 'staging'), expect: { obligations: [] } },
    ],
  }];
};
