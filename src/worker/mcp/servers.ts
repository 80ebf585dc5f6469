// The MCP servers the proxy fronts: MCP_SERVERS is a JSON object of name -> streamable-HTTP URL
// (`{"github": "https://mcp.example.com/mcp"}`), served at POST /mcp/<name>. Parsed once per env
// object. A broken value refuses every MCP call (503 misconfigured) rather than guess.
import { ApiError } from '../http/api-error';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

type Parsed = { ok: true; servers: Map<string, string> } | { ok: false; problem: string };
const parsed = new WeakMap<object, Parsed>();

/** The upstream URL of server `name`; 404 for an unknown name, 503 when MCP_SERVERS is broken. */
export function mcpServerUrl(env: Env, name: string): string {
  let p = parsed.get(env);
  if (!p) {
    p = parseServers(env.MCP_SERVERS);
    parsed.set(env, p);
  }
  if (!p.ok) throw new ApiError(503, 'misconfigured', `MCP_SERVERS: ${p.problem}`);
  const url = p.servers.get(name);
  if (url === undefined) throw new ApiError(404, 'not_found', `no MCP server named ${JSON.stringify(name)} in MCP_SERVERS`);
  return url;
}

export function parseServers(text: string | undefined): Parsed {
  if (text === undefined || text.trim() === '') return { ok: true, servers: new Map() };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not valid JSON; expected an object of name -> URL' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'expected a JSON object of name -> URL' };
  const servers = new Map<string, string>();
  for (const [name, url] of Object.entries(value)) {
    if (!NAME.test(name)) return { ok: false, problem: `${JSON.stringify(name)}: a server name is letters, digits, ".", "_" or "-" (at most 64)` };
    if (typeof url !== 'string' || !isHttpUrl(url)) return { ok: false, problem: `${name}: expected an http(s) URL, got ${JSON.stringify(url)}` };
    servers.set(name, url);
  }
  return { ok: true, servers };
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
