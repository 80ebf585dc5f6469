// `--context`: inline JSON, `@file`, or `-` for stdin. Errors name where the JSON went wrong.
import { readFile } from 'node:fs/promises';
import { PolicyError } from '../policy/errors';
import { readJson } from '../policy/read-json';
import type { Io } from './io';

export async function readContextArg(arg: string, io: Io): Promise<Record<string, unknown>> {
  if (arg === '-') return parseContext(await io.readStdin(), 'stdin');
  if (arg.startsWith('@')) {
    const file = arg.slice(1);
    return parseContext(await readFile(file, 'utf8'), file, file);
  }
  return parseContext(arg, '--context');
}

/**
 * A JSON object from text. `label` names the source in messages (`--context`, `stdin`); `file`, when
 * the text came from a file, makes the message start `file:line:col:` as for policy files.
 */
export function parseContext(text: string, label: string, file?: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = readJson(text, file).value;
  } catch (e) {
    if (!(e instanceof PolicyError) || file) throw e;
    const at = e.line !== undefined ? ` at line ${e.line} column ${e.column}` : '';
    throw new PolicyError('input_error', `invalid JSON${at}: ${e.message.replace(/^invalid JSON: /, '')}`, { path: label });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PolicyError('input_error', `expected a JSON object, got ${describeJson(value)}`, file ? { file } : { path: label });
  }
  return value as Record<string, unknown>;
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : `${typeof value} ${JSON.stringify(value)}`;
}
