// Every subcommand, in the order `llm-policy --help` lists them. Each is loaded only when run, so
// `--help` and the light commands do not pay for the tokenizer and price table that enrichment loads.
import type { Command } from '../command';

export interface CommandEntry {
  name: string;
  /** One line for `llm-policy --help`. */
  summary: string;
  load(): Promise<Command>;
}

export const commands: CommandEntry[] = [
  {
    name: 'evaluate',
    summary: 'evaluate a context against policies or a bundle and print the decision',
    load: async () => (await import('./evaluate')).evaluateCommand,
  },
  {
    name: 'compile',
    summary: 'compile policies into a bundle, signed with a private key if given',
    load: async () => (await import('./compile')).compileCommand,
  },
  {
    name: 'lint',
    summary: 'check policies for mistakes: conflicts, unreachable rules, missing reasons ...',
    load: async () => (await import('./lint')).lintCommand,
  },
  {
    name: 'test',
    summary: 'run the *.test.yaml policy tests beside the policies',
    load: async () => (await import('./test')).testCommand,
  },
  {
    name: 'diff',
    summary: 'show added, removed, modified and unchanged policies and rules',
    load: async () => (await import('./diff')).diffCommand,
  },
  {
    name: 'simulate',
    summary: 'what-if: run many contexts through policies, optionally compared with another set',
    load: async () => (await import('./simulate')).simulateCommand,
  },
  {
    name: 'templates',
    summary: 'list the starter policy sets (startup, soc2, hipaa, gdpr, pci-dss, eu-ai-act)',
    load: async () => (await import('./templates')).templatesCommand,
  },
  {
    name: 'init',
    summary: 'write a starter policy set with its tests: init --template NAME [--out DIR]',
    load: async () => (await import('./init')).initCommand,
  },
  {
    name: 'patterns',
    summary: 'generated policies against their patterns: current, stale or orphaned; prune orphans',
    load: async () => (await import('./patterns')).patternsCommand,
  },
  {
    name: 'keygen',
    summary: 'create an Ed25519 key pair for signing bundles',
    load: async () => (await import('./keygen')).keygenCommand,
  },
  {
    name: 'sign',
    summary: 'sign a compiled bundle with an Ed25519 private key',
    load: async () => (await import('./sign')).signCommand,
  },
  {
    name: 'verify',
    summary: "check a bundle's hash and signature against a public key",
    load: async () => (await import('./verify')).verifyCommand,
  },
  {
    name: 'publish',
    summary: 'lint, test, compile, sign and upload policies to KV, then move the rollout pointer',
    load: async () => (await import('./publish')).publishCommand,
  },
  {
    name: 'promote',
    summary: 'move the canary to more traffic, or make it the stable',
    load: async () => (await import('./promote')).promoteCommand,
  },
  {
    name: 'rollback',
    summary: 'drop the canary, or return to the previous stable bundle',
    load: async () => (await import('./rollback')).rollbackCommand,
  },
  {
    name: 'status',
    summary: 'show the rollout pointer, its signature, the versions in KV and recent history',
    load: async () => (await import('./status')).statusCommand,
  },
];
