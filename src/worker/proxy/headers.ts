// Headers across the proxy. Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and
// never pass; the caller's credentials never reach the provider (the worker's provider key
// does); content-length and content-encoding are the runtime's business, since the body is
// re-serialized on the way up and decoded on the way down.
import type { ProviderName } from './providers/types';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length']);
// The caller's identity and network details stay here; our request id replaces theirs.
const NOT_FORWARDED_UP = new Set(['authorization', 'x-api-key', 'cookie', 'accept-encoding', 'content-encoding', 'x-request-id', 'x-real-ip', 'true-client-ip']);
const NOT_FORWARDED_DOWN = new Set(['content-encoding', 'set-cookie']);
const PROTECTED = new Set([...HOP_BY_HOP, ...NOT_FORWARDED_UP, 'content-type']);

export const ANTHROPIC_DEFAULT_VERSION = '2023-06-01';

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
}

export function upstreamHeaders(incoming: Headers, opts: UpstreamHeaderOptions): Headers {
  const out = new Headers();
  const dropped = connectionListed(incoming);
  incoming.forEach((value, name) => {
    if (HOP_BY_HOP.has(name) || NOT_FORWARDED_UP.has(name) || isHopByHopFamily(name) || dropped.has(name)) return;
    if (name.startsWith('cf-') || name.startsWith('x-forwarded-')) return;
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

function isHopByHopFamily(name: string): boolean {
  return name.startsWith('proxy-');
}

/** Headers named in `Connection` are hop-by-hop too. */
function connectionListed(headers: Headers): Set<string> {
  const value = headers.get('connection');
  if (!value) return new Set();
  return new Set(value.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean));
}
