// `npm run train:injection`: trains the stage-one injection classifier and writes
// src/enrich/injection/model-data.ts (the int8 weights the worker and CLI load) and
// src/enrich/injection/model-manifest.json (data sources, commit, sha256, metrics).
//
// Deterministic: a seeded shuffle, one thread, no randomness elsewhere, so a rerun on the same
// data writes the same bytes. Featurizes with src/enrich/injection/features.ts, the code the
// worker runs. Steps:
//   1. logistic regression on hashed n-grams (AdaGrad, L2, balanced classes) on the train split,
//      with benign long texts' windows and the planted part of paired attacks as extra examples;
//   2. int8 quantization of the weights;
//   3. a stacker (logistic regression on the quantized model's whole, window and view logits and
//      the regex signals) fit on the val split: this is the calibration (Platt scaling with a
//      few more inputs);
//   4. the threshold: the lowest one whose val precision is ≥ 0.90 and hard-benign FPR ≤ 3%;
//   5. figures on every test split, which no step above reads.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { analyzeInjection, boundedText, STACK_FEATURES, type Detector, type Stacker } from '../../src/enrich/injection/detector';
import { BUCKETS, featureVector } from '../../src/enrich/injection/features';
import { LOCATOR_BUCKETS, scanWords } from '../../src/enrich/injection/locate';
import { SHORT_WINDOW, WINDOW, type LinearModel } from '../../src/enrich/injection/model';
import { normalizeForInjection } from '../../src/enrich/injection/normalize';
import { loadRows, sha256, type Row } from './data';
import { atThreshold, figures, type Scored, type SplitFigures } from './metrics';

const EPOCHS = Number(process.env.EPOCHS ?? 16);
const LEARNING_RATE = Number(process.env.LR ?? 0.5);
const L2 = Number(process.env.L2 ?? 1e-6);
const SEED = 12;
const PRECISION_FLOOR = Number(process.env.P_FLOOR ?? 0.9);
const HARD_FPR_CEILING = Number(process.env.HARD_FPR ?? 0.03);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));

interface Sparse {
  index: Int32Array;
  value: Float32Array;
}

interface Example extends Sparse {
  /** The locator's word features of the same text (locate.ts). */
  words: Sparse;
  label: 0 | 1;
  weight: number;
}

/** The locator's features of a text: its word and word-pair buckets (scanWords), counts / √count. */
function wordVector(text: string): Sparse {
  const counts = new Map<number, number>();
  let n = 0;
  const { item, length } = scanWords(text);
  for (let k = 0; k < length; k++) {
    const b = item[k]!;
    if (b < 0) continue; // bonuses are fixed, not learned
    counts.set(b, (counts.get(b) ?? 0) + 1);
    n++;
  }
  const sorted = [...counts].sort((a, z) => a[0] - z[0]);
  const norm = n > 0 ? 1 / Math.sqrt(n) : 0;
  return { index: Int32Array.from(sorted, ([b]) => b), value: Float32Array.from(sorted, ([, c]) => c * norm) };
}

/** Both feature vectors of a text. */
const vectors = (text: string): Sparse & { words: Sparse } => ({ ...featureVector(text), words: wordVector(text) });

/** The hand-written cases are few next to the public rows: each counts this many times. */
const CASE_WEIGHT = 3;
/** Hard benign rows (benign prompts that look like attacks) count this many times more. On val
 * (session 4), 2 with 16 epochs had the best recall at precision 0.90 of 1 or 2 with 8, 12, 16 epochs. */
const HARD_WEIGHT = Number(process.env.HARD_WEIGHT ?? 2);
/** Benign long texts also train as their windows (what the detector scores), at this weight each. */
const WINDOW_WEIGHT = Number(process.env.WINDOW_WEIGHT ?? 0.3);
/** Document around a planted instruction that trains with it, in characters. */
const PAIR_MARGIN = Number(process.env.PAIR_MARGIN ?? 60);
/** Weight of the whole attack row whose planted part is known. */
const PAIRED_WHOLE_WEIGHT = Number(process.env.PAIRED_WHOLE ?? 1);

/**
 * Attacks made by planting an instruction in a benign document that is in the data too (BIPIA's
 * rows come in such pairs): the planted part, found as what lies between the two texts' common
 * prefix and suffix, with PAIR_MARGIN characters of the document around it. It trains as an
 * extra attack example, so the instruction outweighs the document's own words, which the whole
 * attack row teaches as well (clean tables scored 0.97: their tables were in attack rows too).
 * On val, keeping the whole row at full weight beside it did best (0.3 and 0 did worse).
 */
function plantedParts(rows: Row[]): Map<Row, string> {
  const KEY = 150;
  const byHead = new Map<string, string>();
  const byTail = new Map<string, string>();
  for (const r of rows) {
    if (r.label !== 0 || r.text.length < KEY * 2) continue;
    byHead.set(r.text.slice(0, KEY), r.text);
    byTail.set(r.text.slice(-KEY), r.text);
  }
  const parts = new Map<Row, string>();
  for (const r of rows) {
    if (r.label !== 1) continue;
    const clean = byHead.get(r.text.slice(0, KEY)) ?? byTail.get(r.text.slice(-KEY));
    if (clean === undefined) continue;
    const t = r.text;
    let head = 0;
    while (head < t.length && head < clean.length && t[head] === clean[head]) head++;
    let tail = 0;
    while (tail < t.length - head && tail < clean.length - head && t[t.length - 1 - tail] === clean[clean.length - 1 - tail]) tail++;
    if (t.length - tail - head >= 10) parts.set(r, t.slice(Math.max(0, head - PAIR_MARGIN), t.length - tail + PAIR_MARGIN));
  }
  return parts;
}

// No model exists yet when the examples are made, so a row longer than the read budget (none of
// the data is) would be read at the spans a zero model picks: head, tail and the first spans.
const NO_WEIGHTS = new Int8Array(BUCKETS);

function examplesOf(r: Row, planted: Map<Row, string>): Example[] {
  const text = normalizeForInjection(boundedText(r.text, NO_WEIGHTS));
  const weight = (r.origin.startsWith('cases:') ? CASE_WEIGHT : 1) * (r.hard ? HARD_WEIGHT : 1);
  const part = planted.get(r);
  if (part !== undefined) {
    return [
      { ...vectors(normalizeForInjection(part)), label: 1, weight },
      { ...vectors(text), label: 1, weight: weight * PAIRED_WHOLE_WEIGHT },
    ];
  }
  const out: Example[] = [{ ...vectors(text), label: r.label, weight }];
  // Benign long texts also train as the windows the detector scores (each must stay benign).
  if (r.label === 0) {
    for (const [size, stride] of [[WINDOW, WINDOW], [SHORT_WINDOW, SHORT_WINDOW]] as const) {
      if (text.length <= size) continue;
      for (let start = 0; start + stride / 2 < text.length; start += stride) out.push({ ...vectors(text.slice(start, start + size)), label: 0, weight: weight * WINDOW_WEIGHT });
    }
  }
  return out;
}

const dot = (weights: Float32Array, bias: number, e: Sparse): number => {
  let z = bias;
  for (let f = 0; f < e.index.length; f++) z += weights[e.index[f]!]! * e.value[f]!;
  return z;
};

/** AdaGrad logistic regression over one of the examples' feature vectors (`features`), `buckets` wide. */
function trainNgramModel(examples: Example[], features: (e: Example) => Sparse, buckets: number): { weights: Float32Array; bias: number } {
  const weights = new Float32Array(buckets);
  const squared = new Float32Array(buckets);
  let bias = 0;
  let biasSquared = 0;
  const total = examples.reduce((sum, e) => sum + e.weight, 0);
  const positives = examples.reduce((sum, e) => sum + (e.label === 1 ? e.weight : 0), 0);
  const classWeight = [total / (2 * (total - positives)), total / (2 * positives)];
  const order = examples.map((_, i) => i);
  const random = rng(SEED);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const e = examples[k]!;
      const { label, weight } = e;
      const x = features(e);
      const { index, value } = x;
      const g = (sigmoid(dot(weights, bias, x)) - label) * classWeight[label]! * weight;
      for (let f = 0; f < index.length; f++) {
        const b = index[f]!;
        const grad = g * value[f]! + L2 * weights[b]!;
        squared[b]! += grad * grad;
        weights[b]! -= (LEARNING_RATE * grad) / (Math.sqrt(squared[b]!) + 1e-8);
      }
      biasSquared += g * g;
      bias -= (LEARNING_RATE * g) / (Math.sqrt(biasSquared) + 1e-8);
    }
  }
  return { weights, bias };
}

function quantize(weights: Float32Array, bias: number): LinearModel {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max / 127;
  const q = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) q[i] = Math.round(weights[i]! / scale);
  return { weights: q, scale, bias };
}

/** Logistic regression on a few dense features by projected full-batch gradient descent (the stacker). */
function fitStacker(features: number[][], labels: Array<0 | 1>): Stacker {
  const d = features[0]!.length;
  const w = new Array<number>(d).fill(0);
  let b = 0;
  // No class weights: the score is calibrated to val's mix (a third attacks), already more
  // attacks than real traffic holds, so an ordinary prompt scores low.
  const classWeight = [1, 1];
  const rate = 0.05;
  for (let step = 0; step < 4000; step++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < features.length; i++) {
      const x = features[i]!;
      let z = b;
      for (let j = 0; j < d; j++) z += w[j]! * x[j]!;
      const g = (sigmoid(z) - labels[i]!) * classWeight[labels[i]!]!;
      for (let j = 0; j < d; j++) gw[j]! += g * x[j]!;
      gb += g;
    }
    // Non-negative: each input is evidence for an attack; a negative weight would only be an
    // artefact of inputs that move together (the logits do).
    for (let j = 0; j < d; j++) w[j] = Math.max(0, w[j]! - rate * (gw[j]! / features.length + 1e-3 * w[j]!));
    b -= rate * (gb / features.length);
  }
  const round = (v: number): number => Math.round(v * 1e6) / 1e6;
  return { bias: round(b), weights: w.map(round) };
}

function chooseThreshold(scored: Array<Scored & { hard: boolean }>): number {
  const hard = scored.filter((r) => r.hard);
  for (let t = 0.05; t <= 0.951; t += 0.01) {
    const at = atThreshold(scored, t);
    const hardFpr = atThreshold(hard, t).fpr ?? 0;
    if ((at.precision ?? 0) >= PRECISION_FLOOR && hardFpr <= HARD_FPR_CEILING) return Math.round(t * 100) / 100;
  }
  return 0.5;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function main(): void {
  const started = Date.now();
  const { rows, sources } = loadRows();
  const bySplit = (split: string): Row[] => rows.filter((r) => r.split === split);
  const train = bySplit('train');
  const val = bySplit('val');
  console.log(`train ${train.length} rows, val ${val.length}`);

  const planted = plantedParts(train);
  console.log(`${planted.size} attacks with a known planted part`);
  const examples = train.flatMap((r) => examplesOf(r, planted));
  const float = trainNgramModel(examples, (e) => e, BUCKETS);
  const model = quantize(float.weights, float.bias);
  // The locator only ranks the blocks of one text, so its bias and scale are not needed.
  const locator = quantize(trainNgramModel(examples, (e) => e.words, LOCATOR_BUCKETS).weights, 0).weights;

  const probe: Detector = { model, locator, stacker: { bias: 0, weights: STACK_FEATURES.map(() => 0) }, threshold: 1 };
  const valFeatures = val.map((r) => analyzeInjection(probe, r.text).features);
  const stacker = fitStacker(valFeatures, val.map((r) => r.label));
  const detector: Detector = { model, locator, stacker, threshold: 1 };
  const score = (r: Row): Scored & { hard: boolean } => ({ score: analyzeInjection(detector, r.text).score, label: r.label, hard: r.hard });
  const threshold = chooseThreshold(val.map(score));

  if (process.env.VERBOSE) {
    const byOrigin = new Map<string, { n: number; hit: number; label: number }>();
    for (const r of val) {
      const e = byOrigin.get(r.origin) ?? { n: 0, hit: 0, label: r.label };
      e.n++;
      if (score(r).score >= threshold) e.hit++;
      byOrigin.set(r.origin, e);
    }
    for (const [origin, e] of byOrigin) console.log(`  val ${origin} (${e.label ? 'attacks' : 'benign'}): ${e.hit}/${e.n} flagged`);
    // Most of val's BIPIA documents are in train too (with or without an injection), unlike the
    // test split's: the ones that are not are the better guide to how BIPIA's test split goes.
    const seen = new Set(train.flatMap((r) => [r.text.slice(0, 150), r.text.slice(-150)]));
    const unseen = val.filter((r) => r.origin.startsWith('public:bipia') && !seen.has(r.text.slice(0, 150)) && !seen.has(r.text.slice(-150)));
    const f = figures(unseen.map(score), threshold);
    console.log(`  val BIPIA, documents not in train: n=${f.rows} auc=${f.auc?.toFixed(3)} p=${f.precision?.toFixed(3)} r=${f.recall?.toFixed(3)} fpr=${f.fpr?.toFixed(3)}`);
  }
  const metrics: Record<string, SplitFigures> = {};
  const testSplits = [...new Set(rows.map((r) => r.split))].filter((s) => s.startsWith('test_')).sort();
  for (const split of ['val', ...testSplits]) {
    const scored = bySplit(split).map(score);
    metrics[split] = figures(scored, threshold);
    const hard = scored.filter((r) => r.hard);
    if (hard.length > 0) metrics[`${split}:hard_benign`] = figures(hard, threshold);
  }

  const weightsBase64 = base64(new Uint8Array(model.weights.buffer));
  const params = { scale: model.scale, bias: model.bias, stacker, threshold };
  writeFileSync(
    'src/enrich/injection/model-data.ts',
    `// Generated by \`npm run train:injection\` (scripts/injection/train.ts): do not edit.\n` +
      `// The stage-one injection model: ${BUCKETS} int8 weights (base64), their scale and bias, the\n` +
      `// stacker that calibrates the score, and the threshold of the \`classifier\` signal.\n` +
      `export const MODEL_PARAMS = ${JSON.stringify(params)};\n\n` +
      `export const MODEL_WEIGHTS_BASE64 =\n  '${weightsBase64}';\n\n` +
      `// The locator (locate.ts): ${LOCATOR_BUCKETS} int8 word weights that pick what of a long text is read.\n` +
      `export const LOCATOR_WEIGHTS_BASE64 =\n  '${base64(new Uint8Array(locator.buffer))}';\n`,
  );
  const manifest = {
    format: 'llm-policy-injection-model/v1',
    trainedFrom: { commit: gitCommit(), sources },
    featurizer: 'src/enrich/injection/features.ts: char 3-5-grams and word 1-2-grams, hashed into 2^18 buckets, counts / sqrt(tokens)',
    training: { epochs: EPOCHS, learningRate: LEARNING_RATE, l2: L2, seed: SEED, trainRows: train.length, valRows: val.length },
    weights: { file: 'src/enrich/injection/model-data.ts', buckets: BUCKETS, bytes: model.weights.length, sha256: sha256(new Uint8Array(model.weights.buffer)) },
    locator: { file: 'src/enrich/injection/model-data.ts', buckets: LOCATOR_BUCKETS, bytes: locator.length, sha256: sha256(new Uint8Array(locator.buffer)) },
    params,
    stackFeatures: STACK_FEATURES,
    metrics,
  };
  writeFileSync('src/enrich/injection/model-manifest.json', JSON.stringify(manifest, null, 2) + '\n');
  for (const [name, f] of Object.entries(metrics)) {
    const v = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(3));
    console.log(`${name.padEnd(28)} n=${String(f.rows).padStart(5)} auc=${v(f.auc)} p=${v(f.precision)} r=${v(f.recall)} fpr=${v(f.fpr)}`);
  }
  console.log(`threshold ${threshold}; weights sha256 ${manifest.weights.sha256}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  main();
} catch (e) {
  console.error(`train:injection: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
