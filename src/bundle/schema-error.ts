// Turns the first zod issue into one PolicyError line that names the field.
import type { z } from 'zod';
import { PolicyError } from '../policy/errors';

export function describeIssue(issue: z.core.$ZodIssue, subject: string): { path: string; message: string } {
  const path = formatPath(issue.path);
  const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : issue.message;
  return { path, message: `${subject}${path ? `.${path}` : ''}: ${message}` };
}

export function schemaError(error: z.ZodError, subject: string, file?: string): PolicyError {
  const { path, message } = describeIssue(error.issues[0], subject);
  return new PolicyError('bundle_error', message, { file, path: path || undefined });
}

/** `policies[2].metadata`, the way the rest of the project writes paths. */
function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out;
}
