// Obligations (spec §5): what a modify (or allow/warn) rule asks the proxy to do.
import * as z from 'zod';
import { describeValue } from './messages';
import { dispatchOn, isPlainObject, strict } from './schema-helpers';
import { positiveInteger } from './schema-values';
import type { Obligation } from './types';

/** RFC 9110 token: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const headerName = z.string().regex(HEADER_NAME, { error: (issue) => `invalid header name ${describeValue(issue.input)}` });
// A line break in a header value would let a policy smuggle extra headers.
const headerValue = z.string().regex(/^[^\r\n\0]*$/, { error: 'header values must not contain line breaks or NUL' });

export const obligationSchemas: Readonly<Record<Obligation['type'], z.ZodType>> = {
  set_max_tokens: strict({ type: z.literal('set_max_tokens'), value: positiveInteger }),
  redact_pii: strict({ type: z.literal('redact_pii'), types: z.array(z.string().min(1)).optional() }),
  route_model: strict({ type: z.literal('route_model'), model: z.string().min(1) }),
  add_header: strict({ type: z.literal('add_header'), name: headerName, value: headerValue }),
  tag: strict({ type: z.literal('tag'), key: z.string().min(1), value: z.string() }),
  remove_tools: strict({ type: z.literal('remove_tools'), names: z.array(z.string().min(1)).min(1, { error: 'remove_tools needs at least one tool name' }) }),
};

const checkByType = dispatchOn('type', obligationSchemas, {
  max_tokens: 'set_max_tokens', set_maxtokens: 'set_max_tokens', redact: 'redact_pii', route: 'route_model',
  header: 'add_header', set_header: 'add_header', label: 'tag', add_tag: 'tag',
  remove_tool: 'remove_tools', strip_tools: 'remove_tools', drop_tools: 'remove_tools',
}, 'obligation type');

export const obligationSchema: z.ZodType<Obligation> = z.custom<Obligation>(() => true).superRefine((value, ctx) => {
  if (!isPlainObject(value)) {
    ctx.addIssue({ code: 'custom', message: `an obligation is a mapping with a "type", got ${describeValue(value)}` });
  } else {
    checkByType(value, ctx);
  }
});
