// Plain-text rendering of gate tables, kill switches and history lines for the CLI.
import type { GateReport, GateRow } from './gates';
import { isAutoStop, type DisplayEntry } from './history';
import type { KillSwitchState } from './kill-switch';

/** A fixed-width table: gate, canary value, threshold, stable's value, pass/FAIL. Ends with the verdict. */
export function formatGateTable(report: GateReport, indent = '  '): string[] {
  const header = ['gate', 'value', 'threshold', 'stable', 'result'];
  const body = report.rows.map((r) => [r.gate, show(r, r.value), r.threshold === null ? 'n/a' : `${r.comparison} ${show(r, r.threshold)}`, r.stable === undefined ? '' : show(r, r.stable), r.pass ? 'pass' : r.threshold === null ? `n/a (${r.note ?? 'no baseline'})` : 'FAIL']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => indent + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...body.map(line), `${indent}verdict: ${report.verdict}`];
}

export function formatKillSwitch(k: KillSwitchState): string {
  if (k.state === 'none') return 'none';
  if (k.state === 'active') return `ACTIVE: canary ${k.killSwitch.canary} stopped at ${k.killSwitch.stoppedAt} (${k.killSwitch.reason}); it serves 0% until the next pointer move`;
  return `ignored (${k.why})`;
}

export function formatHistoryLine(e: DisplayEntry): string {
  if (isAutoStop(e)) return `  ${e.at} ${e.actor} auto-stop: canary ${e.canary} at sequence ${e.sequence} sent to 0% (${e.reason})`;
  const state = (s: typeof e.from) => (!s ? 'nothing' : s.canary ? `${s.stable} + canary ${s.canary} ${s.canaryPercent}%` : s.stable);
  const marks = [e.forced ? 'FORCED past the gates' : '', e.gates ? `gates ${e.gates.verdict}` : '', e.autoStop ? `after the automatic stop at ${e.autoStop.at}` : ''].filter(Boolean);
  return `  #${e.sequence} ${e.at} ${e.actor} ${e.action}: ${state(e.from)} -> ${state(e.to)}${e.reason ? ` (${e.reason})` : ''}${marks.length ? ` [${marks.join('; ')}]` : ''}`;
}

function show(row: GateRow, n: number): string {
  if (row.gate === 'decisions') return String(n);
  if (row.gate === 'cost_per_request') return `$${n.toFixed(6)}`;
  return `${(n * 100).toFixed(2)}%`;
}
