// Reading policy files from disk (Node only: the CLI and the publisher).
// A policy set is the *.yaml, *.yml and *.json files directly in one folder; subfolders are separate
// sets (policies/examples is one). `*.test.yaml` files beside them are policy tests (spec §9).
// A folder is often a project root too: npm and TypeScript manifests and compiled bundles found in
// it are skipped (and named), so `llm-policy evaluate .` works where package.json lives.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PolicyError } from '../policy/errors';
import { parsePolicies } from '../policy/parse';
import type { Policy } from '../policy/types';

export interface PolicySet {
  policies: Policy[];
  /** Policy files read, in name order. */
  files: string[];
  /** Test files found beside them. */
  testFiles: string[];
  /** Files that held no policies (the CLI warns about them). */
  emptyFiles: string[];
  /** Files of a folder that are not policies (manifests, compiled bundles), with why. */
  skippedFiles: Array<{ file: string; why: string }>;
}

const POLICY_FILE = /\.(ya?ml|json)$/i;
const TEST_FILE = /\.test\.(ya?ml|json)$/i;
/** Well-known JSON and YAML files of a project root that are never policies. */
const NOT_POLICIES: ReadonlyArray<[RegExp, string]> = [
  [/^package(-lock)?\.json$/i, 'npm manifest'],
  [/^npm-shrinkwrap\.json$/i, 'npm manifest'],
  [/^(tsconfig|jsconfig)(\..*)?\.json$/i, 'TypeScript config'],
  [/^(pnpm-lock|pnpm-workspace|\.?yarnrc)\.ya?ml$/i, 'package manager file'],
  [/^(docker-)?compose\.ya?ml$|^\.?(github|gitlab-ci|pre-commit-config)\.ya?ml$/i, 'tool config'],
];

export function isTestFile(name: string): boolean {
  return TEST_FILE.test(name);
}

/** Load one folder as a policy set. */
export async function loadPolicySet(dir: string): Promise<PolicySet> {
  return loadPolicySources([dir]);
}

/** Load files and folders given on a command line: folders contribute their policy files. */
export async function loadPolicySources(paths: string[]): Promise<PolicySet> {
  const set: PolicySet = { policies: [], files: [], testFiles: [], emptyFiles: [], skippedFiles: [] };
  for (const path of paths) {
    const info = await stat(path).catch(() => {
      throw new PolicyError('input_error', `no such file or folder: ${path}`, { file: path });
    });
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((n) => POLICY_FILE.test(n)).sort();
      for (const name of names) {
        const file = join(path, name);
        if (!(await stat(file)).isFile()) continue;
        const known = NOT_POLICIES.find(([pattern]) => pattern.test(name));
        if (known) set.skippedFiles.push({ file, why: known[1] });
        else if (isTestFile(name)) set.testFiles.push(file);
        else if (await isBundleFile(file)) set.skippedFiles.push({ file, why: 'compiled bundle' });
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

/** A JSON object with a top-level `format` key is a compiled bundle (a policy may not have one). */
async function isBundleFile(file: string): Promise<boolean> {
  if (!/\.json$/i.test(file)) return false;
  const text = await readFile(file, 'utf8');
  if (!/^\uFEFF?\s*\{/.test(text)) return false;
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return typeof value === 'object' && value !== null && 'format' in value && 'policies' in value;
  } catch {
    return false;
  }
}

async function addFile(set: PolicySet, file: string): Promise<void> {
  const policies = parsePolicies(await readFile(file, 'utf8'), { filename: file });
  set.files.push(file);
  if (policies.length === 0) set.emptyFiles.push(file);
  set.policies.push(...policies);
}
