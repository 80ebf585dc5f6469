// The official MCP SDK client talking to our /mcp/:server route through the worker's real fetch
// entry, authenticated with a client key; `headers` can be changed between calls (x-approval-id).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { env, SELF } from 'cloudflare:test';
import type { ExecutedCall } from './mcp-server';

export const ORIGIN = 'https://policy.example.com';

export interface Connected {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Sent on every later request of this client. */
  headers: Record<string, string>;
  /** Every HTTP answer the client got from the worker, in order. */
  answers: Response[];
}

export async function connect(key: string, server = 'tools'): Promise<Connected> {
  const headers: Record<string, string> = {};
  const answers: Response[] = [];
  const transport = new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp/${server}`), {
    fetch: async (url, init) => {
      const h = new Headers(init?.headers);
      h.set('authorization', `Bearer ${key}`);
      for (const [name, value] of Object.entries(headers)) h.set(name, value);
      const res = await SELF.fetch(String(url), { ...init, headers: h });
      answers.push(res);
      return res;
    },
  });
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, headers, answers };
}

/** The tool calls the MCP server actually executed. */
export async function executed(): Promise<ExecutedCall[]> {
  const base = new URL(JSON.parse(env.MCP_SERVERS!).tools);
  return (await (await fetch(new URL('/__calls', base))).json()) as ExecutedCall[];
}

/** Makes the server describe `weather` differently from its next session on. */
export async function rugPull(): Promise<void> {
  const base = new URL(JSON.parse(env.MCP_SERVERS!).tools);
  await fetch(new URL('/__rugpull', base), { method: 'POST' });
}
