// A SimulationReport for people: decision counts, rule hits (rules that never matched stand out),
// and with a comparison, each decision change with a few examples and the rules that decided.
import type { FinalDecision } from '../policy/types';
import type { Outcome, RuleHits, SideReport, SimulationReport } from './simulate';

const DECISIONS: readonly FinalDecision[] = ['allow', 'deny', 'needs_approval'];

export interface FormatLabels {
  /** Names of the inputs, e.g. the paths given on the command line. */
  main: string;
  compare?: string;
}

export function formatReport(r: SimulationReport, labels: FormatLabels): string {
  const lines: string[] = [];
  const two = r.compare !== undefined;
  lines.push(`${r.total} contexts`);
  lines.push(two ? `before: ${labels.compare} (${bundleName(r.compare!)})` : `bundle: ${labels.main} (${bundleName(r.main)})`);
  if (two) lines.push(`after:  ${labels.main} (${bundleName(r.main)})`);

  lines.push('', two ? 'decisions          before     after' : 'decisions');
  for (const d of DECISIONS) {
    const after = cell(r.main.decisions[d], r.total);
    lines.push(`  ${d.padEnd(15)}${two ? `${cell(r.compare!.decisions[d], r.total)}${after}` : after}`.trimEnd());
  }
  lines.push(...flags(r.main, r.compare));

  lines.push('', two ? 'rule hits (before → after)' : 'rule hits');
  for (const row of ruleRows(r.main.rules, r.compare?.rules)) lines.push(row);

  if (r.changes) {
    const c = r.changes;
    lines.push('', `changed decisions: ${c.changed} of ${r.total}`);
    for (const t of c.transitions) {
      lines.push(`  ${t.from} → ${t.to}: ${t.count}`);
      for (const e of t.examples) lines.push(`    ${e.label}: ${outcome(e.before)} → ${outcome(e.after)}`);
    }
    if (c.decidedDifferently > 0) lines.push(`same decision, different deciding rules: ${c.decidedDifferently}`);
  }
  return `${lines.join('\n')}\n`;
}

function bundleName(side: SideReport): string {
  return `bundle ${side.bundle.version}, ${side.bundle.hash.slice(0, 19)}…`;
}

/** `   170  17.0%` in a fixed width, so columns line up. */
export function cell(n: number, total: number): string {
  const percent = total === 0 ? '' : `${((100 * n) / total).toFixed(1)}%`;
  return `${String(n).padStart(6)} ${percent.padStart(6)}  `.padEnd(10);
}

function flags(main: SideReport, compare?: SideReport): string[] {
  const out: string[] = [];
  const line = (what: string, pick: (s: SideReport) => number) => {
    const a = pick(main);
    const b = compare ? pick(compare) : 0;
    if (a === 0 && b === 0) return;
    out.push(compare ? `  ${what}: ${b} → ${a}` : `  ${what}: ${a}`);
  };
  line('with warnings', (s) => s.withWarnings);
  line('with obligations', (s) => s.withObligations);
  line('with evaluation errors', (s) => s.withErrors);
  return out;
}

/** One row per rule of either bundle, in the main bundle's rule order, then rules only the other has. */
export function ruleRows(main: RuleHits[], compare?: RuleHits[]): string[] {
  const key = (x: { policyId: string; ruleId: string }) => `${x.policyId}/${x.ruleId}`;
  const before = new Map((compare ?? []).map((x) => [key(x), x]));
  const after = new Map(main.map((x) => [key(x), x]));
  const ids = [...new Set([...after.keys(), ...before.keys()])];
  if (ids.length === 0) return ['  (no rules)'];
  const names = ids.map((id) => `${id} (${(after.get(id) ?? before.get(id))!.decision})`);
  const width = Math.max(...names.map((n) => n.length));
  return ids.map((id, i) => {
    const a = after.get(id);
    const b = before.get(id);
    const name = `  ${names[i].padEnd(width)}  `;
    if (!compare) return `${name}${String(a!.hits).padStart(6)}${a!.hits === 0 ? '  never matched' : ''}`;
    const note = !a ? '  (removed)' : !b ? '  (new)' : a.hits === 0 ? '  never matched' : '';
    return `${name}${String(b ? b.hits : '-').padStart(6)} → ${String(a ? a.hits : '-').padStart(6)}${note}`;
  });
}

function outcome(o: Outcome): string {
  if (o.decidingRules.length > 0) return `${o.decision} by ${o.decidingRules.join(', ')}`;
  return `${o.decision} (${o.reasons[0] ?? 'no reason'})`;
}
