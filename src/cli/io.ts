// Where a command's output goes. Commands write through an Io so tests can run them in-process.
import { stdin as processStdin } from 'node:process';

export interface Io {
  /** Writes to stdout; the caller supplies newlines. */
  out(text: string): void;
  /** Writes to stderr; the caller supplies newlines. */
  err(text: string): void;
  /** All of stdin, for `--context -`. */
  readStdin(): Promise<string>;
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
};

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
