// Export to Rego (OPA), `import rego.v1`, over `input` (the request context). Unverified: no OPA
// runs here, so this output is checked for its structure only (see the README).
//
// Each condition node becomes a helper rule (`c_<rule>_<node>`): an `and` is one body, an `or`
// one definition per child, a `not` a `not` of its child, so negation stays exact (a missing
// field makes a positive leaf undefined, and `not` of that is true, as in our engine).
// `matched` is the set of matching rule ids; `decision(stage)` takes the highest priority among
// the matched authoritative rules of the stage, then deny over needs_approval over allow.
import { isCanonicalIndex } from '../../policy/paths';
import type { JsonValue, LeafCondition } from '../../policy/types';
import { carriedGaps, droppedRuleGap, gapLines, type ExportPlan, type ExportResult, type Gap, type PlannedRule } from './plan';
import { positiveForm, Untranslatable, writeCondition, type ConditionWriter } from './walk';

export const REGO_CAVEATS = [
  'unverified: no OPA runs in this project\'s tests; the text is checked for its structure only',
  'string ordering: OPA compares strings by bytes (code points), we by UTF-16 code units; they differ only between U+E000..U+FFFF and characters beyond U+FFFF',
  'an index segment (messages.0.role) reads arrays only; our engine also reads an object key "0" there',
  'matches uses regex.match (Go RE2, the same dialect as ours), flags as an inline (?ims) prefix',
];

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(['as', 'contains', 'data', 'default', 'else', 'every', 'false', 'if', 'import', 'in', 'input', 'not', 'null', 'package', 'some', 'true', 'with']);

const PRELUDE = `# The request namespace (spec §1): metadata.namespace, else project.environment, else none.
request_namespace := ns if {
	ns := input.metadata.namespace
	is_string(ns)
	ns != ""
} else := ns if {
	ns := input.project.environment
	is_string(ns)
	ns != ""
} else := ""

in_namespace(_) if request_namespace == ""

in_namespace(ns) if request_namespace == ns

# in: a scalar equal to an element, or a list sharing an element.
in_list(x, list) if {
	is_array(x)
	some e in x
	e in list
}

in_list(x, list) if {
	not is_array(x)
	not is_object(x)
	x in list
}

# contains: a substring of a string, or an element of a list.
contains_value(x, v) if {
	is_string(x)
	is_string(v)
	contains(x, v)
}

contains_value(x, v) if {
	is_array(x)
	v in x
}

# gt, gte, lt, lte: two numbers or two strings.
comparable(x, y) if {
	is_number(x)
	is_number(y)
}

comparable(x, y) if {
	is_string(x)
	is_string(y)
}

authoritative(stage) := {id |
	some id in matched
	rules[id].stage == stage
	rules[id].decision in {"allow", "deny", "needs_approval"}
}

top_priority(stage) := max({rules[id].priority | some id in authoritative(stage)})

deciding(stage) := {id |
	some id in authoritative(stage)
	rules[id].priority == top_priority(stage)
}

decision(stage) := "deny" if {
	some id in deciding(stage)
	rules[id].decision == "deny"
} else := "needs_approval" if {
	some id in deciding(stage)
	rules[id].decision == "needs_approval"
} else := "allow" if {
	count(deciding(stage)) > 0
} else := default_decision[stage]

request_decision := decision("request")

response_decision := decision("response")

warnings contains id if {
	some id in matched
	rules[id].decision == "warn"
}
`;

export function exportRego(plan: ExportPlan): ExportResult {
  const gaps: Gap[] = [...plan.gaps];
  const helpers: string[] = [];
  const matched: string[] = [];
  const exported: PlannedRule[] = [];
  plan.rules.forEach((rule, index) => {
    const writer = new HelperWriter(`c_${index}`);
    try {
      const root = writeCondition(rule.condition, writer.conditionWriter());
      const scope = rule.namespace === undefined ? '' : `\tin_namespace(${JSON.stringify(rule.namespace)})\n`;
      matched.push(`# ${rule.id}: ${rule.decision}, priority ${rule.priority}\nmatched contains ${JSON.stringify(rule.id)} if {\n${scope}\t${root}\n}`);
      helpers.push(...writer.definitions);
      exported.push(rule);
    } catch (err) {
      if (!(err instanceof Untranslatable)) throw err;
      gaps.push(droppedRuleGap(rule, err.at, err.message));
    }
    gaps.push(...carriedGaps(rule, {
      obligations: 'obligations are in rules[id].obligations: the host applies them when the decision is allow',
      reason: 'reason templates are in rules[id].reason: the host renders them',
    }));
  });
  const table = Object.fromEntries(exported.map((r) => [r.id, {
    stage: r.stage, decision: r.decision, priority: r.priority,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.obligations ? { obligations: r.obligations } : {}),
  }]));
  const header = [
    'Rego export of an llm-policy set (llm-policy export --format rego).',
    'Query data.llm_policy.request_decision (or response_decision) with the request context as input:',
    'it is "allow", "deny" or "needs_approval"; data.llm_policy.matched lists the matching rules.',
    ...REGO_CAVEATS,
    ...gapLines(gaps),
  ];
  const defaults = { request: plan.defaultDecision, response: 'allow' };
  const text = [
    header.map((l) => `# ${l}`).join('\n'),
    'package llm_policy\n\nimport rego.v1',
    `default_decision := ${JSON.stringify(defaults)}`,
    `rules := ${JSON.stringify(table, null, '\t')}`,
    PRELUDE.trimEnd(),
    ...matched,
    ...helpers,
  ].join('\n\n');
  return { format: 'rego', files: [{ name: 'policies.rego', text: `${text}\n` }], exported: exported.map((r) => r.id), gaps, caveats: REGO_CAVEATS };
}

/** Names a helper rule per condition node and keeps their definitions. */
class HelperWriter {
  readonly definitions: string[] = [];
  private count = 0;

  constructor(private readonly prefix: string) {}

  private define(bodies: string[][]): string {
    const name = `${this.prefix}_${this.count++}`;
    for (const body of bodies) this.definitions.push(`${name} if {\n${body.map((s) => `\t${s}`).join('\n')}\n}`);
    return name;
  }

  conditionWriter(): ConditionWriter<string> {
    return {
      constant: (value) => this.define([[String(value)]]),
      and: (children) => this.define([children.length ? children : ['true']]),
      or: (children) => this.define(children.length ? children.map((c) => [c]) : [['false']]),
      not: (child) => this.define([[`not ${child}`]]),
      leaf: (leaf, at) => {
        const { operator, negated } = positiveForm(leaf);
        const positive = this.define([leafBody(operator, leaf, at)]);
        return negated ? this.define([[`not ${positive}`]]) : positive;
      },
    };
  }
}

function leafBody(operator: LeafCondition['operator'], leaf: LeafCondition, at: string): string[] {
  const x = [`x := ${access(leaf.field)}`, 'x != null'];
  if (leaf.valueField !== undefined) {
    const both = [...x, `y := ${access(leaf.valueField)}`, 'y != null'];
    switch (operator) {
      case 'eq': return [...both, 'x == y'];
      case 'gt': case 'gte': case 'lt': case 'lte': return [...both, 'comparable(x, y)', `x ${ORDER[operator]} y`];
      case 'in': return [...both, 'is_array(y)', 'in_list(x, y)'];
      case 'contains': return [...both, 'contains_value(x, y)'];
      case 'starts_with': return [...both, 'is_string(x)', 'is_string(y)', 'startswith(x, y)'];
      case 'ends_with': return [...both, 'is_string(x)', 'is_string(y)', 'endswith(x, y)'];
      default: throw new Untranslatable(at, `operator "${operator}" has no Rego form with valueField`);
    }
  }
  const v = json(leaf.value as JsonValue);
  switch (operator) {
    case 'exists': return x;
    case 'eq': return [...x, `x == ${v}`];
    case 'gt': case 'gte': case 'lt': case 'lte':
      return [...x, typeof leaf.value === 'number' ? 'is_number(x)' : 'is_string(x)', `x ${ORDER[operator]} ${v}`];
    case 'in': return [...x, `in_list(x, ${v})`];
    case 'contains': return [...x, `contains_value(x, ${v})`];
    case 'starts_with': return [...x, 'is_string(x)', `startswith(x, ${v})`];
    case 'ends_with': return [...x, 'is_string(x)', `endswith(x, ${v})`];
    case 'matches': return [...x, 'is_string(x)', `regex.match(${json(leaf.flags ? `(?${leaf.flags})${String(leaf.value)}` : String(leaf.value))}, x)`];
    default: throw new Untranslatable(at, `operator "${operator}" has no Rego form`);
  }
}

const ORDER = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function access(path: string): string {
  return path.split('.').reduce((base, segment) => {
    if (isCanonicalIndex(segment)) return `${base}[${segment}]`;
    return IDENTIFIER.test(segment) && !KEYWORDS.has(segment) ? `${base}.${segment}` : `${base}[${JSON.stringify(segment)}]`;
  }, 'input');
}

/** JSON is Rego's literal syntax for values. */
function json(value: JsonValue): string {
  return JSON.stringify(value);
}

