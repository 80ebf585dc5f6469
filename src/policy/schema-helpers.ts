// Building blocks shared by the language schemas: strict objects that suggest the nearest key,
// keys that must not appear, and dispatch on a tag key (`operator`, `type`).
import * as z from 'zod';
import { describeValue, languageErrors } from './messages';
import { didYouMean } from './suggest';

const forbiddenKeys = new WeakSet<z.ZodType>();

/** A key that is named in the shape only to explain why it is not allowed here. */
export function forbidden(message: string) {
  const schema = z.never({ error: message }).optional();
  forbiddenKeys.add(schema);
  return schema;
}

/** A strict object: an unknown key is an error that suggests the nearest allowed key. */
export function strict<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const allowed = Object.keys(shape).filter((key) => !forbiddenKeys.has(shape[key] as z.ZodType));
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeyMessage(issue.keys[0], allowed) : undefined),
  });
}

function unknownKeyMessage(key: string, allowed: string[]): string {
  const hint = didYouMean(key, allowed);
  return `unknown key "${key}"${hint || ` (expected one of ${allowed.join(', ')})`}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type RefineContext = z.core.$RefinementCtx<unknown>;

/**
 * Validates `value` with the schema its `tag` key selects, reporting the inner issues at their own
 * paths; an unknown tag names the valid ones. `aliases` maps common other spellings to a hint.
 */
export function dispatchOn(
  tag: string,
  schemas: Readonly<Record<string, z.ZodType>>,
  aliases: Readonly<Record<string, string>> = {},
  noun: string = tag,
) {
  const names = Object.keys(schemas);
  return (value: Record<string, unknown>, ctx: RefineContext): void => {
    const chosen = Object.prototype.hasOwnProperty.call(value, tag) ? value[tag] : undefined;
    if (chosen === undefined) {
      ctx.addIssue({ code: 'custom', path: [tag], message: `missing required key "${tag}"` });
      return;
    }
    const schema = typeof chosen === 'string' && Object.prototype.hasOwnProperty.call(schemas, chosen) ? schemas[chosen] : undefined;
    if (!schema) {
      const alias = typeof chosen === 'string' ? aliases[chosen] ?? aliases[chosen.toLowerCase()] : undefined;
      const hint = alias ? ` (did you mean "${alias}"?)` : typeof chosen === 'string' ? didYouMean(chosen, names) : '';
      ctx.addIssue({ code: 'custom', path: [tag], message: `unknown ${noun} ${describeValue(chosen)} (expected one of ${names.join(', ')})${hint}` });
      return;
    }
    const result = schema.safeParse(value, { error: languageErrors });
    if (!result.success) for (const issue of result.error.issues) ctx.addIssue(issue as z.core.$ZodRawIssue);
  };
}
