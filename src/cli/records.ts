// Reading JSON Lines inputs for the CLI (fixtures, decision records): a bad line stops the run
// with its file:line (a what-if over silently fewer lines would mislead) unless --skip-invalid.
import { readFile } from 'node:fs/promises';
import type { DecisionRecord } from '../durable/decision-types';
import { parseDecisionRecords } from '../simulate/decision-records';
import type { FixtureProblem } from '../simulate/fixtures';
import { CliError } from './errors';
import type { Io } from './io';

/** The records of a GET /v1/decisions export. */
export async function readDecisionRecords(file: string, skipInvalid: boolean, io: Io): Promise<DecisionRecord[]> {
  const { records, problems } = parseDecisionRecords(await readFile(file, 'utf8'), file);
  reportProblems(problems, skipInvalid, io);
  if (records.length === 0) throw new CliError(`${file}: no decision records (expected the NDJSON of GET /v1/decisions)`);
  return records.map((r) => r.record);
}

export function reportProblems(problems: FixtureProblem[], skipInvalid: boolean, io: Io): void {
  if (problems.length > 0 && !skipInvalid) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more bad lines; --skip-invalid skips them)` : ' (--skip-invalid skips bad lines)';
    throw new CliError(`${problems[0].message}${more}`);
  }
  for (const p of problems) io.err(`warning: skipped ${p.message}\n`);
}
