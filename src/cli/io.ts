// Where a command's output goes. Commands write through an Io so tests can run them in-process.
import { stdin as processStdin, stdout as processStdout } from 'node:process';
import { createInterface } from 'node:readline/promises';

export interface Io {
  /** Writes to stdout; the caller supplies newlines. */
  out(text: string): void;
  /** Writes to stderr; the caller supplies newlines. */
  err(text: string): void;
  /** All of stdin, for `--context -`. */
  readStdin(): Promise<string>;
  /** Asks a yes/no question; absent when there is no terminal to ask on (a pipe, CI, tests). */
  confirm?(question: string): Promise<boolean>;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  readStdin: async () => {
    let text = '';
    processStdin.setEncoding('utf8');
    for await (const chunk of processStdin) text += chunk;
    return text;
  },
  confirm: processStdin.isTTY && processStdout.isTTY ? askOnTerminal : undefined,
};

/** `question [y/N] `: only y or yes (any case) is a yes. */
async function askOnTerminal(question: string): Promise<boolean> {
  const terminal = createInterface({ input: processStdin, output: processStdout });
  try {
    return /^y(es)?$/i.test((await terminal.question(`${question} [y/N] `)).trim());
  } finally {
    terminal.close();
  }
}

/** An Io that keeps everything, for tests and for commands that call other commands. */
export function memoryIo(stdin = ''): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(text: string) { io.stdout += text; },
    err(text: string) { io.stderr += text; },
    readStdin: async () => stdin,
  };
  return io;
}
