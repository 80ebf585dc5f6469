// What the screens share: the edited policy folder, the running bundle, and navigation.
export type Screen = 'editor' | 'generate' | 'tests' | 'sandbox' | 'replay' | 'diff' | 'ship' | 'rollout' | 'decisions' | 'budgets';

export const SCREENS: Array<{ id: Screen; label: string; hint: string }> = [
  { id: 'editor', label: 'Editor', hint: 'write policies, lint as you type, rule builder' },
  { id: 'generate', label: 'Generate', hint: 'a policy and its tests from plain English' },
  { id: 'tests', label: 'Tests', hint: 'run the *.test.yaml files' },
  { id: 'sandbox', label: 'Sandbox', hint: 'one context, explained rule by rule' },
  { id: 'replay', label: 'Replay', hint: 'what the edited set would change' },
  { id: 'diff', label: 'Diff', hint: 'edited set against the running bundle' },
  { id: 'ship', label: 'Ship', hint: 'export and the publish command' },
  { id: 'rollout', label: 'Rollout', hint: 'pointer, canary, gates, history' },
  { id: 'decisions', label: 'Decisions', hint: 'the decision log' },
  { id: 'budgets', label: 'Budgets', hint: 'used, reserved, remaining' },
];

export type Files = Record<string, string>;

export interface Running {
  version: string | null;
  files: Files;
}

export interface Studio {
  files: Files;
  current: string;
  setFiles(files: Files, current?: string): void;
  setFile(name: string, text: string): void;
  setCurrent(name: string): void;
  running: Running | null;
  reloadRunning(): Promise<Running>;
  go(screen: Screen, opts?: { jump?: { file: string; line: number }; sandbox?: object }): void;
  /** A context handed to the sandbox (from a decision record), consumed once. */
  sandboxContext: object | null;
}

export const FILES_KEY = 'llm-policy-studio.files';

export function policyFiles(files: Files): string[] {
  return Object.keys(files).filter((f) => !/\.test\.(ya?ml|json)$/i.test(f)).sort();
}
