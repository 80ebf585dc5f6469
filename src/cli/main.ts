// Entry point of the `llm-policy` binary (bin/llm-policy.js loads this, or dist/cli.js built from it).
import { runCli } from './run';
import { processIo } from './io';

process.exitCode = await runCli(process.argv.slice(2), processIo);
