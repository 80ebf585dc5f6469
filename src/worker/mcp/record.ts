// The decision record of an MCP call (source `mcp`) and its version stats, written off the hot
// path like the proxy's. The context names the server, the tool and its arguments; MASK_FIELDS
// masks argument paths (`mcp.tool.arguments.password`) like any other context field.
import { decisionRecordInput } from '../../durable/decision-input';
import type { DecisionsEnv, VersionStatsEnv } from '../../durable/env';
import type { Decision } from '../../policy/types';
import { NO_BUNDLE } from '../evaluate/decide';
import { decisionsTotal } from '../metrics/index';
import { recordDecisionLater } from '../recording/decisions';
import { countVersionStatsLater } from '../recording/version-stats';

export interface McpRecord {
  decision: Decision;
  outcome: string;
  requestId: string;
  context: Record<string, unknown>;
  role: string;
  startedAt: number;
  tags: Record<string, string>;
}

export function recordMcp(env: DecisionsEnv & VersionStatsEnv, waitUntil: (p: Promise<unknown>) => void, r: McpRecord): void {
  decisionsTotal.inc({ decision: r.decision.decision, bundle: r.role });
  const input = decisionRecordInput(r.decision, {
    requestId: r.requestId,
    source: 'mcp',
    context: r.context,
    outcome: r.outcome,
    latencyMs: Math.round((performance.now() - r.startedAt) * 1000) / 1000,
    tags: r.tags,
  });
  // Arguments the record cannot copy (nested deeper than structuredClone goes) must not cost the record.
  recordDecisionLater(env, waitUntil, input, () => ({ ...input, context: { ...r.context, mcp: { omitted: true } }, tags: { ...input.tags, context: 'omitted' } }));
  const version = r.decision.bundle.version;
  if (version !== NO_BUNDLE.version) countVersionStatsLater(env, waitUntil, { bundleVersion: version, requestId: r.requestId, outcome: r.outcome });
}
