// The featurizer of the injection classifier, shared by the trainer (scripts/injection/train.ts)
// and every runtime that scores (worker, CLI), so training and inference cannot drift.
//
// A text (already normalized: see normalize.ts) becomes hashed tokens, each tied to the position
// it starts at: character 3-, 4- and 5-grams, and word 1- and 2-grams, hashed into 2^18 buckets.
// A span's feature vector is the bucket counts divided by √(tokens in the span), so the logit of
// any window is a difference of prefix sums: scoring every 500-character window costs no more
// than scoring the text once.

export const BUCKET_BITS = 18;
export const BUCKETS = 1 << BUCKET_BITS;
const MASK = BUCKETS - 1;

// Every constant is an int32 (`| 0`), so hashing stays in small integers: a value above 2^31
// would be a heap number, and allocating one per token made tokenizing 10x slower.
const CHAR_SALT3 = 0x9e3779b9 | 0;
const CHAR_SALT4 = 0x85ebca6b | 0;
const CHAR_SALT5 = 0xc2b2ae35 | 0;
export const WORD_SALT = 0x27d4eb2f;
export const BIGRAM_SALT = 0x165667b1;
export const FNV_OFFSET = 0x811c9dc5 | 0;

/** murmur3's finalizer, then the bucket: FNV's low bits are weak, and the bucket is the low bits. */
export function bucketOf(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b | 0);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35 | 0);
  return (h ^ (h >>> 16)) & MASK;
}

/** Letters, digits, the apostrophe and every non-ASCII character except spaces and punctuation. */
export function isWordChar(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 39;
  return !(c >= 0x2000 && c <= 0x206f) && !(c >= 0x3000 && c <= 0x303f) && c !== 0xa0 && !(c >= 0xff01 && c <= 0xff0f);
}

export interface Tokens {
  /** Bucket of each token. */
  bucket: Int32Array;
  /** Character offset each token starts at, non-decreasing. */
  pos: Int32Array;
  length: number;
}

// Scratch arrays, grown as needed and reused: a 12k-character text has 60k tokens, and fresh
// arrays per call (480 KB) made the garbage collector a large part of the p99.
let scratchBucket = new Int32Array(1024);
let scratchPos = new Int32Array(1024);

/** The hashed tokens of `text`, in position order; valid until the next call (the arrays are reused). */
export function tokenize(text: string): Tokens {
  const n = text.length;
  if (scratchBucket.length < n * 5 + 8) {
    scratchBucket = new Int32Array(n * 5 + 8);
    scratchPos = new Int32Array(n * 5 + 8);
  }
  const bucket = scratchBucket;
  const pos = scratchPos;
  let t = 0;
  let word = 0;
  let wordStart = -1;
  let prevWord = 0;
  let hasPrev = false;
  // The five characters from i on, each read once (not five times). A read past the end is NaN,
  // made 0 to keep the values small integers; it is never hashed (an n-gram is hashed only when it fits).
  let c1 = text.charCodeAt(0) | 0;
  let c2 = text.charCodeAt(1) | 0;
  let c3 = text.charCodeAt(2) | 0;
  let c4 = text.charCodeAt(3) | 0;
  for (let i = 0; i <= n; i++) {
    const c0 = c1;
    c1 = c2;
    c2 = c3;
    c3 = c4;
    c4 = text.charCodeAt(i + 4) | 0;
    const c = i < n ? c0 : 32;
    // Character 3-, 4- and 5-grams starting at i, in that order.
    if (i + 3 <= n) {
      let h = Math.imul(Math.imul(Math.imul(FNV_OFFSET ^ c0, 16777619) ^ c1, 16777619) ^ c2, 16777619);
      bucket[t] = bucketOf(h ^ CHAR_SALT3);
      pos[t++] = i;
      if (i + 4 <= n) {
        h = Math.imul(h ^ c3, 16777619);
        bucket[t] = bucketOf(h ^ CHAR_SALT4);
        pos[t++] = i;
        if (i + 5 <= n) {
          bucket[t] = bucketOf(Math.imul(h ^ c4, 16777619) ^ CHAR_SALT5);
          pos[t++] = i;
        }
      }
    }
    // Words: a unigram when one ends, and a bigram with the word before it.
    if (i < n && isWordChar(c)) {
      if (wordStart < 0) {
        wordStart = i;
        word = FNV_OFFSET;
      }
      word = Math.imul(word ^ c, 16777619);
    } else if (wordStart >= 0) {
      bucket[t] = bucketOf(word ^ WORD_SALT);
      pos[t++] = wordStart;
      if (hasPrev) {
        bucket[t] = bucketOf(Math.imul(prevWord, 31) ^ word ^ BIGRAM_SALT);
        pos[t++] = wordStart;
      }
      prevWord = word;
      hasPrev = true;
      wordStart = -1;
    }
  }
  return { bucket, pos, length: t };
}

/** Sparse feature vector of a whole text, as the trainer needs it: buckets and their values. */
export function featureVector(text: string): { index: Int32Array; value: Float32Array } {
  const { bucket, length } = tokenize(text);
  const counts = new Map<number, number>();
  for (let i = 0; i < length; i++) counts.set(bucket[i]!, (counts.get(bucket[i]!) ?? 0) + 1);
  const index = new Int32Array(counts.size);
  const value = new Float32Array(counts.size);
  const norm = length > 0 ? 1 / Math.sqrt(length) : 0;
  let j = 0;
  for (const [b, count] of [...counts].sort((a, z) => a[0] - z[0])) {
    index[j] = b;
    value[j++] = count * norm;
  }
  return { index, value };
}
