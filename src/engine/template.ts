// Reason templates: `{{ path }}` becomes the context value at path (spec §3 "Reason templates").
// Strings as they are, numbers and booleans as JavaScript prints them, lists/objects as JSON,
// missing as empty. No recursive expansion: a value containing `{{x}}` is printed literally.
// A value that cannot be read (a field whose enrichment failed throws when read, so that the rules
// reading it follow their onError) prints as missing: a reason never fails a decision.

import { getterFor } from './path';

export type Render = (context: unknown) => string;

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

export function compileTemplate(template: string): Render {
  if (!template.includes('{{')) return () => template;
  const parts: Array<string | ((ctx: unknown) => unknown)> = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(template.slice(last, match.index));
    parts.push(getterFor(match[1]));
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return () => template;
  if (last < template.length) parts.push(template.slice(last));
  return (ctx) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : show(readable(part, ctx));
    return out;
  };
}

/** The context paths a reason template reads. */
export function templateFields(template: string): string[] {
  if (!template.includes('{{')) return [];
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]);
}

function readable(get: (ctx: unknown) => unknown, ctx: unknown): unknown {
  try {
    return get(ctx);
  } catch {
    return undefined;
  }
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
