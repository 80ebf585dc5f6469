// Entry point of the `llm-policy` binary (bin/llm-policy.js loads this, or dist/cli.js built from it).
import { processIo } from './io';
import { runCli } from './run';

// `llm-policy simulate ... | head`: a reader that stops early is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await runCli(process.argv.slice(2), processIo);
