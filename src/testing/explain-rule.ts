// Why a rule did or did not match a test's context, in one line, from the engine's explain trace:
// the leaves that decided it, with the values the context had.
import type { ConditionTrace, Evaluator, JsonValue } from '../policy/types';
import type { RuleCatalog } from './rule-refs';

/** `expectedMatch` is what the test wanted; the answer explains why the rule did the opposite. */
export function explainRule(evaluator: Evaluator, catalog: RuleCatalog, context: object, id: string, expectedMatch: boolean): string {
  const info = catalog.info(id);
  if (info?.rule.enabled === false) return 'it is disabled (enabled: false)';
  if (info?.rule.stage === 'response') return 'it is a response-stage rule; tests evaluate the request stage';
  const trace = evaluator.evaluate(context, { explain: true }).trace?.find((t) => `${t.policyId}/${t.ruleId}` === id);
  if (!trace) return 'it was not evaluated';
  if (trace.skipped === 'namespace') {
    return `its policy's namespace "${info?.policy.metadata.namespace}" is not the request's (${requestNamespaceHint(context)})`;
  }
  if (!trace.condition) return 'no condition trace';
  return deciding(trace.condition, expectedMatch).join(' and ');
}

/** The facts that made `node` come out as `!wanted`, following the engine's short-circuiting. */
function deciding(node: ConditionTrace, wanted: boolean): string[] {
  switch (node.kind) {
    case 'const':
      return [`condition is ${node.result}`];
    case 'leaf':
      return [leafFact(node)];
    case 'not':
      return node.children.flatMap((child) => deciding(child, !wanted));
    case 'and':
    case 'or': {
      // The last child traced is the one that short-circuited; when none did, every child counts.
      const shortCircuited = node.result === (node.kind === 'or');
      const children = shortCircuited ? node.children.slice(-1) : node.children;
      if (children.length === 0) return [`an empty ${node.kind} is ${node.result}`];
      return children.flatMap((child) => deciding(child, wanted));
    }
    case 'quantifier': {
      if (node.decidedBy) return [`${node.operator} ${node.field} element ${node.decidedBy.index}: ${deciding(node.decidedBy.condition, node.operator === 'none' ? !wanted : wanted).join(' and ')}`];
      if (node.size === 0) return [`${node.field} is empty or missing, so ${node.operator} is ${node.result}`];
      return [`${node.operator} ${node.field} is ${node.result}: ${node.elements!.map((e) => `element ${e.index} ${e.result}`).join(', ')}`];
    }
  }
}

function leafFact(leaf: Extract<ConditionTrace, { kind: 'leaf' }>): string {
  const operand = leaf.valueField !== undefined ? ` ${leaf.valueField}` : leaf.expected !== undefined ? ` ${show(leaf.expected)}` : '';
  const actual = leaf.missing ? 'field missing' : `actual ${show(leaf.actual as JsonValue)}`;
  return `${leaf.field} ${leaf.operator}${operand} is ${leaf.result} (${actual})`;
}

function requestNamespaceHint(context: object): string {
  const ctx = context as { metadata?: { namespace?: unknown }; project?: { environment?: unknown } };
  if (typeof ctx.metadata?.namespace === 'string' && ctx.metadata.namespace) return `metadata.namespace "${ctx.metadata.namespace}"`;
  return `project.environment "${String(ctx.project?.environment)}"`;
}

function show(value: JsonValue): string {
  return JSON.stringify(value);
}
