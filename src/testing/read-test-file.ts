// A test file's text -> its defaults and tests, each test either valid or carrying the error that
// names its file:line. Problems with the file as a whole are thrown as a located PolicyError.
import { PolicyError } from '../policy/errors';
import { languageErrors } from '../policy/messages';
import { readJson } from '../policy/read-json';
import { readYaml } from '../policy/read-yaml';
import { isPlainObject } from '../policy/schema-helpers';
import { locatedIssue } from '../policy/located-issue';
import { locateSegments, sourceOf } from '../policy/source';
import { testCaseSchema, testFileSchema, type TestCase, type TestFileDefaults } from './test-file-schema';

export interface ReadTest {
  /** The test's name, or `tests[i]` when it has none. */
  name: string;
  line?: number;
  /** The test as written; absent when `error` says what is wrong with it. */
  test?: TestCase;
  /** The raw node, for locating later errors (rule references) in the file. */
  node: object;
  error?: PolicyError;
}

export interface ReadTestFile {
  defaults: TestFileDefaults;
  tests: ReadTest[];
}

export function readTestFile(text: string, file: string): ReadTestFile {
  const documents = /\.json$/i.test(file) ? [readJson(text, file)] : readYaml(text, file);
  if (documents.length === 0) throw new PolicyError('schema_error', 'no tests: the file is empty (expected a mapping with "tests")', { file });
  if (documents.length > 1) {
    const second = documents[1];
    throw new PolicyError('schema_error', 'a test file holds one document; put every test under one "tests" list', { file, ...second.at });
  }
  const root = documents[0].value;
  if (!isPlainObject(root)) {
    throw new PolicyError('schema_error', 'expected a mapping with a "tests" list', { file, ...documents[0].at });
  }
  const parsed = testFileSchema.safeParse(root, { error: languageErrors });
  if (!parsed.success) throw locatedIssue(root, parsed.error.issues);

  const seenNames = new Map<string, number | undefined>();
  const tests = parsed.data.tests.map((node, index) => readTest(root.tests as unknown[], node, index, seenNames));
  return { defaults: { now: parsed.data.now, enrich: parsed.data.enrich }, tests };
}

function readTest(list: unknown[], node: unknown, index: number, seenNames: Map<string, number | undefined>): ReadTest {
  if (!isPlainObject(node)) {
    const at = locateSegments(list, [index]);
    const error = new PolicyError('schema_error', 'a test is a mapping with name, context and expect', { ...at });
    return { name: `tests[${index}]`, line: at?.line, node: list, error };
  }
  const line = sourceOf(node)?.line;
  const name = typeof node.name === 'string' && node.name !== '' ? node.name : `tests[${index}]`;
  const parsed = testCaseSchema.safeParse(node, { error: languageErrors });
  if (!parsed.success) return { name, line, node, error: locatedIssue(node, parsed.error.issues) };
  if (seenNames.has(name)) {
    const first = seenNames.get(name);
    const error = new PolicyError('schema_error', `duplicate test name "${name}"${first ? ` (first at line ${first})` : ''}`, { ...locateSegments(node, ['name']) });
    return { name, line, node, error };
  }
  seenNames.set(name, line);
  return { name, line, node, test: parsed.data as TestCase };
}
