// --replay for generate: the recorded decisions (GET /v1/decisions NDJSON) replayed through the
// policies of --out plus the new one, as it will be enforced, and reported against what was
// decided then. A file that does not read is a failed gate; the changes are shown, not judged.
import { readFile } from 'node:fs/promises';
import type { Gate } from '../authoring/generate/index';
import { compileBundle, loadBundle } from '../engine/index';
import type { Policy } from '../policy/types';
import { parseDecisionRecords } from '../simulate/decision-records';
import { replayDecisions } from '../simulate/replay';
import { formatReplay } from '../simulate/replay-format';
import { LOCAL_CREATED_AT, LOCAL_VERSION } from './inputs';

export async function replayGate(file: string, policies: Policy[]): Promise<{ gate: Gate; report: string[] }> {
  const { records, problems } = parseDecisionRecords(await readFile(file, 'utf8'), file);
  if (problems.length) return { gate: { gate: 'replay', ok: false, message: problems[0].message }, report: [] };
  if (records.length === 0) return { gate: { gate: 'replay', ok: false, message: `${file}: no decision records` }, report: [] };
  const bundle = await compileBundle(policies, { version: LOCAL_VERSION, createdAt: LOCAL_CREATED_AT });
  const report = replayDecisions(loadBundle(bundle), records.map((r) => r.record));
  const blocked = report.blocked.requests ? `; ${report.blocked.requests} allowed then would be refused ($${report.blocked.estimatedCostUsd.toFixed(2)} estimated)` : '';
  const message = `${report.changes.changed} of ${report.replayed} recorded decisions would change${blocked}`;
  return { gate: { gate: 'replay', ok: true, message }, report: ['', ...formatReplay(report, 'the new policy set').trimEnd().split('\n')] };
}
