// vitest globalSetup of the workers project: starts the real MCP server (mcp-server.ts) in Node
// and hands its port to the worker's MCP_SERVERS binding (vitest.config.ts, inject('mcpServerPort')).
import type { TestProject } from 'vitest/node';
import { startMcpServer } from './mcp-server';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startMcpServer();
  project.provide('mcpServerPort', server.port);
  return () => server.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    mcpServerPort: number;
  }
}
