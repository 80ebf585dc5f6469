// The dispatcher: `llm-policy <command> [args]`, `--help` for every command, `--version`.
import pkg from '../../package.json';
import { commands } from './commands/index';
import { reportError, UsageError } from './errors';
import type { Io } from './io';

/** Runs the CLI and returns its exit code; never throws. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    return reportError(e, io);
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined) return dispatch([topic, '--help'], io);
    io.out(overview());
    return first === undefined ? 1 : 0;
  }
  if (first === '--version' || first === '-v') {
    io.out(`${pkg.version}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === first);
  if (!entry) {
    const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command ${first}`;
    throw new UsageError(what);
  }
  const command = await entry.load();
  if (wantsHelp(rest)) {
    io.out(command.help);
    return 0;
  }
  return command.run(rest, io);
}

/** `--help` or `-h` anywhere before a `--` terminator. */
function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage: llm-policy <command> [options]

Policies for LLM traffic: evaluate, compile, lint, test, diff and simulate policies; sign and
verify bundles; publish them to Cloudflare KV and move the rollout pointer.

Commands:
${list}

Run llm-policy <command> --help for a command's options. llm-policy --version prints the version.
Errors are one line; set LLM_POLICY_DEBUG=1 to add the stack trace when reporting a bug.
`;
}
