// Policy files sent in a request body (`{files: {"name.yaml": "text"}}`, the authoring routes):
// their schema and limits, and turning them into policies, located problems or an evaluator.
// Nothing here publishes: evaluators built from a body live for one request.
import { z } from 'zod';
import { compileBundle } from '../../engine/compile-bundle';
import { loadBundle } from '../../engine/load';
import { PolicyError } from '../../policy/errors';
import { parsePolicies } from '../../policy/parse';
import { printPolicies } from '../../policy/print';
import { isTestFile, type SourceFile } from '../../policy/source-files';
import type { Evaluator, Policy } from '../../policy/types';
import { ApiError } from '../http/api-error';

export const MAX_FILES = 100;
export const MAX_FILE_CHARS = 256 * 1024;
/** A plain file name: no folders, so names cannot point anywhere but at each other. */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const POLICY_EXTENSION = /\.(ya?ml|json)$/i;

export const filesSchema = z.record(z.string(), z.string()).superRefine((files, ctx) => {
  const names = Object.keys(files);
  if (names.length > MAX_FILES) ctx.addIssue({ code: 'custom', message: `at most ${MAX_FILES} files, got ${names.length}` });
  for (const name of names) {
    if (!FILE_NAME.test(name) || !POLICY_EXTENSION.test(name)) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'a file name is a plain name ending in .yaml, .yml or .json (no folders)' });
    } else if (files[name].length > MAX_FILE_CHARS) {
      ctx.addIssue({ code: 'custom', path: [name], message: `longer than ${MAX_FILE_CHARS} characters` });
    }
  }
});

export type Files = z.output<typeof filesSchema>;

/** The files in name order, as the disk loader reads a folder. */
export function sourcesOf(files: Files): SourceFile[] {
  return Object.keys(files).sort().map((file) => ({ file, text: files[file] }));
}

/** Every policy file parsed; a file that does not parse is a problem, the others still count. */
export function parseFiles(files: Files): { policies: Policy[]; problems: PolicyError[] } {
  const policies: Policy[] = [];
  const problems: PolicyError[] = [];
  for (const { file, text } of sourcesOf(files)) {
    if (isTestFile(file)) continue;
    try {
      policies.push(...parsePolicies(text, { filename: file }));
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      problems.push(err);
    }
  }
  return { policies, problems };
}

/** The policies of `files`, or a 400 naming the first file:line:column that does not parse or compile. */
export async function evaluatorOfFiles(files: Files, version: string): Promise<{ policies: Policy[]; evaluator: Evaluator }> {
  const { policies, problems } = parseFiles(files);
  if (problems.length > 0) throw invalidPolicy(problems[0]);
  try {
    const bundle = await compileBundle(policies, { version, createdAt: new Date(0).toISOString() });
    return { policies, evaluator: loadBundle(bundle) };
  } catch (err) {
    if (err instanceof PolicyError) throw invalidPolicy(err);
    throw err;
  }
}

/** Policies as files, one per policy (`<id>.yaml`), printed alike in author order (a bundle keeps keys sorted): what the Studio loads and diffs side by side. */
export function filesOfPolicies(policies: readonly Policy[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const policy of policies) out[`${policy.metadata.id}.yaml`] = printPolicies([policy], 'yaml');
  return out;
}

function invalidPolicy(err: PolicyError): ApiError {
  return new ApiError(400, 'invalid_policy', err.describe());
}
