// zod validation with messages that name the field: `context: expected object, received string`.
import type { z } from 'zod';
import { ApiError } from './api-error';

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ApiError(400, 'invalid_request', describeIssue(result.error.issues[0]));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    return `${where === 'body' ? '' : `${where}: `}unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  // zod's own wording minus its generic prefix, e.g. "expected object, received string".
  const message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_type' && message.endsWith('received undefined')) return `${where}: required, expected ${issue.expected}`;
  return `${where}: ${message}`;
}
