// Fixture files for `simulate --fixtures`: JSON Lines, one context object per line (and the JSON
// Lines reader that decision-record files share). Blank lines
// are skipped. A bad line is reported with its line number; the caller decides whether it stops
// the run (the default: a what-if over silently fewer contexts would mislead) or is skipped.
import { PolicyError } from '../policy/errors';
import { readJson } from '../policy/read-json';

export interface FixtureContext {
  /** 1-based line in the file. */
  line: number;
  context: Record<string, unknown>;
}

export interface FixtureProblem {
  line: number;
  /** `file:line[:column]: message`, ready to print. */
  message: string;
}

export function parseFixtures(text: string, file: string): { contexts: FixtureContext[]; problems: FixtureProblem[] } {
  const { objects, problems } = parseObjectLines(text, file, 'one context per line');
  return { contexts: objects.map(({ line, value }) => ({ line, context: value })), problems };
}

/** JSON Lines of objects (fixtures, decision records): each object with its line, and each bad line. */
export function parseObjectLines(text: string, file: string, expected: string): { objects: Array<{ line: number; value: Record<string, unknown> }>; problems: FixtureProblem[] } {
  const objects: Array<{ line: number; value: Record<string, unknown> }> = [];
  const problems: FixtureProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const source = raw.replace(/\r$/, '').replace(/^\uFEFF/, '');
    if (source.trim() === '') return;
    const parsed = parseLine(source, file, line, expected);
    if ('message' in parsed) problems.push({ line, message: parsed.message });
    else objects.push({ line, value: parsed.value });
  });
  return { objects, problems };
}

function parseLine(source: string, file: string, line: number, expected: string): { value: Record<string, unknown> } | { message: string } {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    // JSON.parse does not say where; the policy JSON reader does.
    const error = readError(source);
    const reason = error?.message.replace(/^invalid JSON: /, '') ?? 'not valid JSON';
    return { message: `${file}:${line}:${error?.column ?? 1}: invalid JSON: ${reason}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { message: `${file}:${line}: expected a JSON object (${expected}), got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}` };
  }
  return { value: value as Record<string, unknown> };
}

function readError(source: string): PolicyError | undefined {
  try {
    readJson(source, undefined);
  } catch (e) {
    if (e instanceof PolicyError) return e;
  }
  return undefined;
}
