// The labelled rows the trainer and the benchmark read: the shared public set and the
// hand-written cases (data/injection/cases.jsonl), each row tagged with the set it belongs to.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Row {
  text: string;
  label: 0 | 1;
  /** `public:<source>` or `cases:<family>`. */
  origin: string;
  /** train, val, test_bipia, test_notinject, test_injecguard, or test_cases. */
  split: string;
  /** A benign row that looks like an attack (counted for the hard-benign false-positive rate). */
  hard: boolean;
}

const REPO = resolve(import.meta.dirname, '../..');
export const CASES_PATH = resolve(REPO, 'data/injection/cases.jsonl');
// The shared data sits beside the integration repo (/work/shared) or two levels up from a worktree.
const PUBLIC_CANDIDATES = ['../shared/datasets/injection/public.jsonl', '../../shared/datasets/injection/public.jsonl'];

export function publicDataPath(): string {
  const given = process.env.INJECTION_PUBLIC_DATA;
  if (given) return resolve(given);
  const found = PUBLIC_CANDIDATES.map((p) => resolve(REPO, p)).find((p) => existsSync(p));
  if (!found) throw new Error(`public injection data not found (looked for ${PUBLIC_CANDIDATES.join(', ')} from the repo; set INJECTION_PUBLIC_DATA)`);
  return found;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readJsonl(path: string): Array<Record<string, unknown>> {
  if (!existsSync(path)) throw new Error(`${path}: not found`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${path}:${i + 1}: not valid JSON`);
      }
    });
}

function checked(path: string, i: number, r: Record<string, unknown>): { text: string; label: 0 | 1 } {
  if (typeof r.text !== 'string') throw new Error(`${path}:${i + 1}: text: expected a string`);
  if (r.label !== 0 && r.label !== 1) throw new Error(`${path}:${i + 1}: label: expected 0 or 1`);
  return { text: r.text, label: r.label };
}

export function loadRows(): { rows: Row[]; sources: Array<{ path: string; sha256: string; rows: number }> } {
  const publicPath = publicDataPath();
  // The public set's hard benign rows: NotInject (benign prompts full of trigger words).
  const publicRows = readJsonl(publicPath).map((r, i): Row => ({
    ...checked(publicPath, i, r),
    origin: `public:${String(r.source)}`,
    split: String(r.split),
    hard: String(r.source).includes('otInject') || r.source === 'notinject',
  }));
  const caseRows = readJsonl(CASES_PATH).map((r, i): Row => ({
    ...checked(CASES_PATH, i, r),
    origin: `cases:${String(r.family)}`,
    split: r.split === 'test' ? 'test_cases' : String(r.split),
    hard: r.hard === true && r.label === 0,
  }));
  const source = (name: string, path: string, rows: number) => ({ path: name, sha256: sha256(readFileSync(path)), rows });
  return {
    rows: [...publicRows, ...caseRows],
    sources: [source('shared/datasets/injection/public.jsonl (SOURCES.md)', publicPath, publicRows.length), source('data/injection/cases.jsonl', CASES_PATH, caseRows.length)],
  };
}
