// `npx tsx scripts/injection/generate-cases.ts`: expands the hand-written families
// (scripts/injection/cases/) into data/injection/cases.jsonl. Deterministic (seeded), so the file
// only changes when a template does. Each family goes whole to one split (SPLITS below): the
// test families are never trained or tuned on.
import { writeFileSync } from 'node:fs';
import { ATTACK_FAMILIES } from './cases/attacks';
import { BENIGN_FAMILIES } from './cases/benign';
import { EVERYDAY_FAMILIES } from './cases/everyday';
import { MORE_ATTACK_FAMILIES } from './cases/more-attacks';
import { SESSION4_FAMILIES } from './cases/session4';
import type { Family } from './cases/family';

export type CaseSplit = 'train' | 'val' | 'test';

/** Families held out: val calibrates, test only measures. Every other family trains. */
const SPLITS: Record<string, CaseSplit> = {
  'what-is-ignore-previous': 'test',
  'quoted-attack-in-research': 'test',
  'prompt-engineering-help': 'test',
  'instruction-words-in-docs': 'test',
  'multilingual-trigger-words': 'test',
  'multilingual-requests-2': 'test',
  'benign-tool-output': 'test',
  'benign-code-2': 'test',
  'indirect-webpage': 'test',
  'indirect-review-cv': 'test',
  'multilingual-indirect': 'test',
  'mixed-language': 'test',
  'authority-pretext': 'test',
  'markdown-exfiltration': 'test',
  'direct-paraphrase': 'test',
  'obfuscated-attacks-2': 'test',
  'everyday-questions-3': 'test',
  'benign-passwords-secrets-2': 'test',
  'security-questions-2': 'val',
  'quoted-attack-in-chat': 'val',
  'benign-documents-2': 'val',
  'persona-system-setup-2': 'val',
  'indirect-tool-output-2': 'val',
  'roleplay-jailbreak-2': 'val',
  'multilingual-override-2': 'val',
  'everyday-questions-2': 'val',
  'quoted-attack-in-report-2': 'val',
};

export interface Case {
  text: string;
  label: 0 | 1;
  family: string;
  category: string;
  hard: boolean;
  split: CaseSplit;
}

/** mulberry32: a small seeded generator, so the expansion is the same on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

function fill(template: string, slots: Record<string, string[]>, pick: (n: number) => number): string {
  // One value per slot name per case, so "{persona}" twice is the same persona.
  const chosen = new Map<string, string>();
  return template
    .replace(/\{\{|\}\}|\{(\w+)\}/g, (token, slot: string | undefined) => {
      if (token === '{{') return '\u0000';
      if (token === '}}') return '\u0001';
      const values = slots[slot!];
      if (!values) throw new Error(`family template uses unknown slot {${slot}}`);
      if (!chosen.has(slot!)) chosen.set(slot!, values[pick(values.length)]!);
      return chosen.get(slot!)!;
    })
    .replace(/\u0000/g, '{')
    .replace(/\u0001/g, '}');
}

export function expand(f: Family): Case[] {
  const random = rng(seedOf(f.name));
  const pick = (n: number): number => Math.floor(random() * n);
  const texts = new Set<string>();
  for (let tries = 0; texts.size < f.count && tries < f.count * 20; tries++) {
    texts.add(fill(f.templates[tries < f.templates.length ? tries : pick(f.templates.length)]!, f.slots, pick));
  }
  const split = SPLITS[f.name] ?? 'train';
  return [...texts].map((text) => ({ text, label: f.label, family: f.name, category: f.category, hard: f.hard ?? false, split }));
}

export const FAMILIES: Family[] = [...BENIGN_FAMILIES, ...EVERYDAY_FAMILIES, ...ATTACK_FAMILIES, ...MORE_ATTACK_FAMILIES, ...SESSION4_FAMILIES];

if (process.argv[1]?.endsWith('generate-cases.ts')) {
  const unknown = Object.keys(SPLITS).filter((name) => !FAMILIES.some((f) => f.name === name));
  if (unknown.length > 0) throw new Error(`SPLITS names unknown families: ${unknown.join(', ')}`);
  const cases = FAMILIES.flatMap(expand);
  writeFileSync('data/injection/cases.jsonl', cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const count = (split: CaseSplit, label: number): number => cases.filter((c) => c.split === split && c.label === label).length;
  console.log(`data/injection/cases.jsonl: ${cases.length} cases`);
  for (const split of ['train', 'val', 'test'] as const) console.log(`  ${split}: ${count(split, 1)} attacks, ${count(split, 0)} benign`);
}
