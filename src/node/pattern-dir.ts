// Reading a `patterns/` folder (Node only): every *.yaml / *.yml file directly in it is one pattern.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readPatternNode, type Pattern } from '../authoring/patterns/read';
import { PolicyError } from '../policy/errors';
import { locateSegments } from '../policy/source';

export interface PatternFile {
  file: string;
  pattern: Pattern;
}

const PATTERN_FILE = /\.ya?ml$/i;

/** The patterns of `dir`, in file name order. Pattern ids are unique across the folder. */
export async function readPatternDir(dir: string): Promise<PatternFile[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new PolicyError('input_error', `no such folder: ${dir}`, { file: dir });
  const names = (await readdir(dir)).filter((name) => PATTERN_FILE.test(name)).sort();
  const out: PatternFile[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    if (!(await stat(file)).isFile()) continue;
    const { pattern, node } = readPatternNode(await readFile(file, 'utf8'), file);
    const first = seen.get(pattern.id);
    if (first !== undefined) {
      throw new PolicyError('schema_error', `duplicate pattern id "${pattern.id}" (first defined in ${first})`, { ...locateSegments(node, ['id']), file });
    }
    seen.set(pattern.id, file);
    out.push({ file, pattern });
  }
  return out;
}
