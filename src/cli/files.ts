// Writing command output to a file or stdout, and key files.
import { writeFile } from 'node:fs/promises';
import type { Io } from './io';

/** Writes `text` to `out`, or to stdout when no file is given. */
export async function writeOutput(text: string, out: string | undefined, io: Io): Promise<void> {
  if (out === undefined || out === '-') io.out(text);
  else await writeFile(out, text);
}

/** A bundle as it is stored: pretty JSON (the hash covers canonical JSON, so layout is free). */
export function bundleText(bundle: object): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}
