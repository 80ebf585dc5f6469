// Headers across the proxy. Upstream, only an allowlist of the caller's headers passes: the
// request goes out with OUR provider key, so a caller's OpenAI-Organization, OpenAI-Project,
// anthropic-beta or any x-* header could bill another organisation or switch on features under
// our account. PROXY_FORWARD_HEADERS adds names to the list. Downstream, hop-by-hop headers
// (RFC 9110 §7.6.1) never pass; content-length and content-encoding are the runtime's business,
// since the body is re-serialized on the way up and decoded on the way down.
import type { ProviderName } from './providers/types';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length']);
// The caller's identity and network details stay here; our request id replaces theirs.
const NOT_FORWARDED_UP = new Set(['authorization', 'x-api-key', 'cookie', 'accept-encoding', 'content-encoding', 'x-request-id', 'x-real-ip', 'true-client-ip']);
const NOT_FORWARDED_DOWN = new Set(['content-encoding', 'set-cookie']);
const PROTECTED = new Set([...HOP_BY_HOP, ...NOT_FORWARDED_UP, 'content-type']);

export const ANTHROPIC_DEFAULT_VERSION = '2023-06-01';

/** The caller headers each provider receives (besides those PROXY_FORWARD_HEADERS names). */
export const FORWARDED_UP: Readonly<Record<ProviderName, readonly string[]>> = {
  openai: ['accept', 'accept-language', 'user-agent'],
  anthropic: ['accept', 'accept-language', 'user-agent', 'anthropic-version'],
};

/** Headers an add_header obligation may not set. */
export function isProtectedHeader(name: string): boolean {
  const n = name.toLowerCase();
  return PROTECTED.has(n) || isHopByHopFamily(n);
}

export interface UpstreamHeaderOptions {
  provider: ProviderName;
  providerKey: string;
  requestId: string;
  extra: ReadonlyArray<[string, string]>;
  /** Headers the operator allows besides FORWARDED_UP (PROXY_FORWARD_HEADERS). */
  allowed?: HeaderAllowlist;
}

export function upstreamHeaders(incoming: Headers, opts: UpstreamHeaderOptions): Headers {
  const out = new Headers();
  const dropped = connectionListed(incoming);
  const listed = FORWARDED_UP[opts.provider];
  incoming.forEach((value, name) => {
    if (!listed.includes(name) && !opts.allowed?.(name)) return;
    // Even an operator cannot forward credentials or hop-by-hop headers.
    if (HOP_BY_HOP.has(name) || NOT_FORWARDED_UP.has(name) || isHopByHopFamily(name) || dropped.has(name)) return;
    out.set(name, value);
  });
  for (const [name, value] of opts.extra) out.set(name, value);
  out.set('content-type', 'application/json');
  out.set('x-request-id', opts.requestId);
  if (opts.provider === 'anthropic') {
    out.set('x-api-key', opts.providerKey);
    if (!out.has('anthropic-version')) out.set('anthropic-version', ANTHROPIC_DEFAULT_VERSION);
  } else {
    out.set('authorization', `Bearer ${opts.providerKey}`);
  }
  return out;
}

export function downstreamHeaders(upstream: Headers): Headers {
  const out = new Headers();
  const dropped = connectionListed(upstream);
  upstream.forEach((value, name) => {
    if (HOP_BY_HOP.has(name) || NOT_FORWARDED_DOWN.has(name) || isHopByHopFamily(name) || dropped.has(name)) return;
    out.append(name, value);
  });
  return out;
}

export type HeaderAllowlist = (lowercaseName: string) => boolean;

/** PROXY_FORWARD_HEADERS: comma-separated names, case-insensitive; `x-stainless-*` is a prefix. */
export function parseForwardHeaders(text: string | undefined): HeaderAllowlist {
  const entries = (text ?? '').split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
  const names = new Set(entries.filter((e) => !e.endsWith('*')));
  const prefixes = entries.filter((e) => e.endsWith('*')).map((e) => e.slice(0, -1));
  return (name) => names.has(name) || prefixes.some((p) => name.startsWith(p));
}

function isHopByHopFamily(name: string): boolean {
  return name.startsWith('proxy-');
}

/** Headers named in `Connection` are hop-by-hop too. */
function connectionListed(headers: Headers): Set<string> {
  const value = headers.get('connection');
  if (!value) return new Set();
  return new Set(value.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean));
}
