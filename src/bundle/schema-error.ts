// Turns the first zod issue into one PolicyError line that names the field. The field goes in
// the message, not in PolicyError.path: describe() would print it twice, and e.message alone
// (what a worker logs) should still say where.
import type { z } from 'zod';
import { PolicyError } from '../policy/errors';

/** `pointer.canaryPercent: expected an integer from 0 to 100, got 12.5` */
export function describeIssue(issue: z.core.$ZodIssue, subject: string): string {
  const path = formatPath(issue.path);
  const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : issue.message;
  return `${subject}${path ? `.${path}` : ''}: ${message}`;
}

export function schemaError(error: z.ZodError, subject: string, file?: string): PolicyError {
  return new PolicyError('bundle_error', describeIssue(error.issues[0], subject), { file });
}

/** `policies[2].metadata`, the way the rest of the project writes paths. */
function formatPath(path: PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
}
