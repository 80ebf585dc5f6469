// `x-policy-warnings`: what the policy warned a proxied caller of (warn rules, a budget on
// onExceed: warn), which the provider's answer has no place for. Encoding: each warning
// URI-encoded (encodeURIComponent, so a comma inside one is %2C), joined by commas; at most
// MAX_HEADER_CHARS characters: warnings that would not fit are dropped whole, and a last item
// `+N more` says how many. Absent when there is no warning. The decision record keeps them all.
export const WARNINGS_HEADER = 'x-policy-warnings';
export const MAX_HEADER_CHARS = 2048;

export function warningsHeader(warnings: readonly string[]): string | undefined {
  if (warnings.length === 0) return undefined;
  const items: string[] = [];
  let length = 0;
  for (let i = 0; i < warnings.length; i++) {
    const item = encodeURIComponent(warnings[i]);
    const more = i < warnings.length - 1 ? `,+${warnings.length - i - 1} more`.length : 0;
    if (length + (items.length > 0 ? 1 : 0) + item.length + more > MAX_HEADER_CHARS) {
      items.push(`+${warnings.length - i} more`);
      break;
    }
    items.push(item);
    length += (items.length > 1 ? 1 : 0) + item.length;
  }
  return items.join(',');
}

export function withWarnings(res: Response, warnings: readonly string[]): Response {
  const value = warningsHeader(warnings);
  if (value !== undefined) res.headers.set(WARNINGS_HEADER, value);
  return res;
}
