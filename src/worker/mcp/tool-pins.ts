// Tool definition pinning (the "rug pull" defence): the first definition the proxy sees of each
// tool of each server is pinned in KV; a later tools/list that shows another definition keeps the
// pin and records the new hash as `currentHash`, so rules see `mcp.tool.definitionChanged`.
//
//   KV  mcp-pin:<server>:<tool name>  ->  {pinnedHash, pinnedAt, currentHash, seenAt}
//
// A definition's hash is `sha256:<hex>` of the RFC 8785 canonical JSON of {name, description,
// inputSchema}: what the model reads to decide on a call. Re-pin after a reviewed change by
// deleting the key (the next tools/list pins the new definition).
//
// Pins are cached in the isolate for 30 s: a tools/call needs the pin and should not pay a KV read
// each time. A pin never moves by itself, so the cache can only be late on `currentHash`.
import { canonicalJson, sha256Hex } from '../../bundle/index';

export interface ToolPin {
  pinnedHash: string;
  pinnedAt: string;
  /** The hash of the definition last listed. */
  currentHash: string;
  seenAt: string;
}

export interface ToolDefinition {
  name: string;
  description?: unknown;
  inputSchema?: unknown;
}

export const PIN_PREFIX = 'mcp-pin:';
const CACHE_MS = 30_000;
const MAX_CACHED = 10_000;
const cache = new Map<string, { pin: ToolPin | null; until: number }>();

export async function definitionHash(tool: ToolDefinition): Promise<string> {
  return `sha256:${await sha256Hex(canonicalJson({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }))}`;
}

export function pinKey(server: string, tool: string): string {
  return `${PIN_PREFIX}${server}:${tool}`;
}

/** The pin of one tool, or null when the proxy never listed it. */
export async function readPin(kv: KVNamespace, server: string, tool: string, now = Date.now()): Promise<ToolPin | null> {
  const key = pinKey(server, tool);
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.pin;
  const pin = parsePin(await kv.get(key));
  remember(key, pin, now);
  return pin;
}

/**
 * Records what a tools/list showed: pins tools seen for the first time, notes a changed
 * definition on its pin. Returns each tool's pin after that.
 */
export async function observeDefinitions(kv: KVNamespace, server: string, seen: Array<{ name: string; hash: string }>, now = Date.now()): Promise<Map<string, ToolPin>> {
  const at = new Date(now).toISOString();
  const pins = new Map<string, ToolPin>();
  await Promise.all(
    seen.map(async ({ name, hash }) => {
      // The pin is read fresh from KV: a cached pin might hide the moment a definition changed.
      const key = pinKey(server, name);
      const stored = parsePin(await kv.get(key));
      let pin = stored;
      if (!pin) pin = { pinnedHash: hash, pinnedAt: at, currentHash: hash, seenAt: at };
      else if (pin.currentHash !== hash) pin = { ...pin, currentHash: hash, seenAt: at };
      if (pin !== stored) await kv.put(key, JSON.stringify(pin));
      remember(key, pin, now);
      pins.set(name, pin);
    }),
  );
  return pins;
}

function parsePin(text: string | null): ToolPin | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as ToolPin;
    if (typeof v.pinnedHash === 'string' && typeof v.currentHash === 'string') return v;
  } catch {
    // fall through
  }
  // A pin we cannot read must not pass as "never seen" (that would re-pin whatever comes next):
  // it reads as changed, so a definitionChanged rule denies until someone deletes the key.
  return { pinnedHash: 'unreadable', pinnedAt: '', currentHash: 'unreadable-current', seenAt: '' };
}

function remember(key: string, pin: ToolPin | null, now: number): void {
  if (cache.size >= MAX_CACHED && !cache.has(key)) cache.delete(cache.keys().next().value as string);
  cache.set(key, { pin, until: now + CACHE_MS });
}
