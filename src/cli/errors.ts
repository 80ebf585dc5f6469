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

/**
 * Every command's failure in one form: `error: <message>`, the message starting with the file and
 * place when known, as compilers print it (`error: my.yaml:3:5: path: message`).
 */
export function errorLine(error: unknown): string {
  return `error: ${errorMessage(error)}`;
}

function errorMessage(error: unknown): string {
  if (error instanceof UsageError) {
    const cmd = error.command ? `llm-policy ${error.command}` : 'llm-policy';
    return `${oneLine(error.message)} (see ${cmd} --help)`;
  }
  if (error instanceof PolicyError) return oneLine(error.describe());
  if (error instanceof CliError) return oneLine(error.message);
  if (isSystemError(error)) return systemMessage(error);
  return oneLine(error instanceof Error ? error.message : String(error));
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
  return e.path ? `${e.path}: ${what}` : oneLine(e.message);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
