// The one place errors become output: a single line on stderr, never a stack trace.
import { PolicyError } from '../policy/errors';
import type { Io } from './io';

/** Bad command-line use: the message is followed by a hint to the command's --help. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the command has already worded for the user (a file it cannot read, a refusal). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Prints `error` as one line and returns the exit code (always 1). */
export function reportError(error: unknown, io: Io): number {
  io.err(`${errorLine(error)}\n`);
  // A bug in the CLI itself should still be debuggable: opt in to the stack.
  if (process.env.LLM_POLICY_DEBUG && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  return 1;
}

export function errorLine(error: unknown): string {
  if (error instanceof UsageError) {
    const cmd = error.command ? `llm-policy ${error.command}` : 'llm-policy';
    return `${cmd}: ${error.message} (see ${cmd} --help)`;
  }
  // Starts with the file and place when known, as compilers print it: `my.yaml:3:5: path: message`.
  if (error instanceof PolicyError) return error.file || error.path ? oneLine(error.describe()) : `error: ${oneLine(error.describe())}`;
  if (error instanceof CliError) return oneLine(error.message);
  if (isSystemError(error)) return systemMessage(error);
  return `error: ${oneLine(error instanceof Error ? error.message : String(error))}`;
}

interface SystemError extends Error {
  code: string;
  path?: string;
  syscall?: string;
}

function isSystemError(e: unknown): e is SystemError {
  return e instanceof Error && typeof (e as SystemError).code === 'string' && /^E[A-Z]+$/.test((e as SystemError).code);
}

/** `ENOENT: no such file or directory, open 'x'` → `x: no such file or directory`. */
function systemMessage(e: SystemError): string {
  const what = e.message.replace(/^E[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return e.path ? `${e.path}: ${what}` : `error: ${oneLine(e.message)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
