// An explained Decision: the outcome, then every rule with its condition tree, each leaf showing
// the operator, what it expected and the value it saw, failed leaves marked.
import type { ConditionTrace, Decision, RuleTrace } from '../policy/types';
import { Badge } from './ui';

export function Explained({ decision }: { decision: Decision }) {
  return (
    <div class="explained" aria-label="explained decision">
      <p class="outcome"><Badge decision={decision.decision} /> {decision.reasons.length > 0 ? decision.reasons.join('; ') : 'no rule decided: the default decision'}</p>
      {decision.obligations.length > 0 && <p>obligations: <code>{JSON.stringify(decision.obligations)}</code></p>}
      {decision.warnings.length > 0 && <p>warnings: {decision.warnings.map((w) => `${w.policyId}/${w.ruleId}: ${w.message}`).join('; ')}</p>}
      <ol class="rules">{(decision.trace ?? []).map((t) => <RuleRow trace={t} />)}</ol>
    </div>
  );
}

function RuleRow({ trace }: { trace: RuleTrace }) {
  const state = trace.skipped ? `skipped (${trace.skipped})` : trace.matched ? 'matched' : 'did not match';
  return (
    <li class={trace.matched ? 'rule rule-matched' : 'rule'}>
      <strong>{trace.policyId}/{trace.ruleId}</strong> <span class="muted">priority {trace.priority}</span> — {state}
      {trace.condition && <ConditionRow node={trace.condition} />}
    </li>
  );
}

function ConditionRow({ node }: { node: ConditionTrace }) {
  if (node.kind === 'const') return <div class="leaf">{node.result ? '✓' : '✗'} constant {String(node.result)}</div>;
  if (node.kind === 'leaf') {
    const seen = node.missing ? 'missing' : JSON.stringify(node.actual);
    const against = node.valueField ? `field ${node.valueField}` : node.expected === undefined ? '' : JSON.stringify(node.expected);
    return (
      <div class={node.result ? 'leaf leaf-pass' : 'leaf leaf-fail'}>
        <span aria-label={node.result ? 'held' : 'failed'}>{node.result ? '✓' : '✗'}</span> <code>{node.field} {node.operator} {against}</code> <span class="saw">saw {seen}</span>
      </div>
    );
  }
  if (node.kind === 'quantifier') {
    return (
      <div class={node.result ? 'group leaf-pass' : 'group leaf-fail'}>
        <span>{node.result ? '✓' : '✗'} <code>{node.operator} of {node.field}</code> <span class="saw">over {node.size} items</span></span>
        {node.decidedBy && <><span class="muted"> decided by item {node.decidedBy.index}:</span><ConditionRow node={node.decidedBy.condition} /></>}
      </div>
    );
  }
  return (
    <div class="group">
      <span class="muted">{node.kind} → {String(node.result)}</span>
      {node.children.map((c) => <ConditionRow node={c} />)}
    </div>
  );
}
