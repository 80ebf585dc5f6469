// The MCP server of test/mcp (the official SDK's McpServer) as its own process for the MCP
// benchmark. Prints `{"port": N}` once listening; exits when its parent closes stdin.
import { startMcpServer } from '../test/mcp/support/mcp-server';

const server = await startMcpServer();
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
