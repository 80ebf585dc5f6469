// Reading policy files from disk (Node only: the CLI and the publisher).
// A policy set is the *.yaml, *.yml and *.json files directly in one folder; subfolders are separate
// sets (policies/examples is one). `*.test.yaml` files beside them are policy tests (spec §9).

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PolicyError } from '../policy/errors';
import { parsePolicies } from '../policy/parse';
import { isTestFile, POLICY_FILE } from '../policy/source-files';
import type { Policy } from '../policy/types';

export interface PolicySet {
  policies: Policy[];
  /** Policy files read, in name order. */
  files: string[];
  /** Test files found beside them. */
  testFiles: string[];
  /** Files that held no policies (the CLI warns about them). */
  emptyFiles: string[];
}

/** Load one folder as a policy set. */
export async function loadPolicySet(dir: string): Promise<PolicySet> {
  return loadPolicySources([dir]);
}

/** Load files and folders given on a command line: folders contribute their policy files. */
export async function loadPolicySources(paths: string[]): Promise<PolicySet> {
  const set: PolicySet = { policies: [], files: [], testFiles: [], emptyFiles: [] };
  for (const path of paths) {
    const info = await stat(path).catch(() => {
      throw new PolicyError('input_error', `no such file or folder: ${path}`, { file: path });
    });
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((n) => POLICY_FILE.test(n)).sort();
      for (const name of names) {
        const file = join(path, name);
        if (!(await stat(file)).isFile()) continue;
        if (isTestFile(name)) set.testFiles.push(file);
        else await addFile(set, file);
      }
    } else if (isTestFile(path)) {
      set.testFiles.push(path);
    } else {
      await addFile(set, path);
    }
  }
  return set;
}

async function addFile(set: PolicySet, file: string): Promise<void> {
  const policies = parsePolicies(await readFile(file, 'utf8'), { filename: file });
  set.files.push(file);
  if (policies.length === 0) set.emptyFiles.push(file);
  set.policies.push(...policies);
}
