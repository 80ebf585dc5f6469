// A clone has only this repository: no file may point at the maintainers' shared folder beside it. The
// language reference and the interfaces live in docs/.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
// Spelled in two pieces so this file does not find itself.
const SHARED = ['..', 'shared', ''].join('/');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('references inside the repository', () => {
  it('no file in src/, test/ or README.md refers to the shared folder beside the repo', () => {
    const sources = [join(ROOT, 'README.md'), ...files(join(ROOT, 'src')), ...files(join(ROOT, 'test'))];
    const offenders = sources.filter((f) => readFileSync(f, 'utf8').includes(SHARED)).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('the docs the README points at exist', () => {
    for (const doc of ['docs/policy-language.md', 'docs/interfaces.md']) expect(existsSync(join(ROOT, doc)), doc).toBe(true);
  });
});
