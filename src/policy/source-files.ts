// Which file names make up a policy set: policy files (*.yaml, *.yml, *.json) and, among them,
// the policy tests (*.test.yaml, spec §9). Shared by the disk loader and in-memory sets (HTTP).
export const POLICY_FILE = /\.(ya?ml|json)$/i;
const TEST_FILE = /\.test\.(ya?ml|json)$/i;

export function isTestFile(name: string): boolean {
  return TEST_FILE.test(name);
}

/** Text of one file of a policy set, named as the author named it. */
export interface SourceFile {
  file: string;
  text: string;
}
