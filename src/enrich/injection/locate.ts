// Where to look in a long text: one cheap pass over all of it that finds the parts most likely to
// hold an instruction, so the detector's bounded read (detector.ts) covers them wherever they are.
// Reading fixed places let an attacker pad a prompt and put the injection between them.
//
// The pass hashes each word and word pair as the featurizer does (features.ts) and adds the
// locator's weight of that hash to the 256-character block the word starts in. The locator is a
// second, word-only logistic model trained beside the main one (scripts/injection/train.ts) on the
// same rows: the main model's evidence is mostly in character n-grams, too costly to compute over a
// whole long text, so its own word weights are weak. Words instructions to a model are made of
// (TRIGGERS, in several languages) add a small fixed bonus: with val rows planted in a 20k-word
// prompt (as bench/injection.ts does with test rows), a bonus of 20 found more than 1 or 40. A
// base64 run or text-hiding characters add a large bonus (their decoded view is what the model
// reads), and so do the CJK characters of trigger words (a run of CJK text is one "word" to the
// hash). No substring is made and only ASCII and Cyrillic capitals are lower-cased: the pass costs
// about 1.5 `toLowerCase()` of the text (bench/RESULTS.md, "Injection detection").
import * as featurizer from './features';

// Read into module constants once: under a CommonJS transform (tsx, which runs the bench and the
// CLI) every use of an imported name is a getter call, and those calls were half of this pass's
// time on a 20k-word prompt.
const { BIGRAM_SALT, bucketOf, FNV_OFFSET, isWordChar, WORD_SALT } = featurizer;

/** Block size, in characters (a power of two: the block of a position is a shift, not a division); a suspect span is two adjacent blocks. */
const BLOCK_BITS = 8;
export const BLOCK = 1 << BLOCK_BITS;
export const SPAN = BLOCK * 2;
/** The locator's weights: one int8 per bucket of 2^16 (the low bits of the featurizer's bucket). */
export const LOCATOR_BUCKETS = 1 << 16;
const LOCATOR_MASK = LOCATOR_BUCKETS - 1;
/** Bonus for a base64 run of 40+ characters (the weights are int8, a word's weight ±127 at most). */
const ENCODED_BONUS = 400;
const BASE64_RUN = 40;
const HIDING_BONUS = 50;
const CJK_BONUS = 30;
/** CJK characters of trigger words (忽略 ignore, 指令 instruction, 提示 prompt, 無視 disregard, 密码 password...). */
// A table over the CJK Unified Ideographs block (all of them are in it), not a Set: a fifth of a
// long prompt may be non-ASCII, and a Set lookup per character doubled the pass's time.
const CJK_FIRST = 0x4e00;
const CJK_TRIGGERS = new Uint8Array(0xa000 - CJK_FIRST);
const CJK_TRIGGER_CHARS = '忽略指令提示系统統無視无视指示规则規則密码密碼';
for (const c of CJK_TRIGGER_CHARS) CJK_TRIGGERS[c.charCodeAt(0) - CJK_FIRST] = 1;
const isCjkTrigger = (c: number): boolean => c >= CJK_FIRST && c < 0xa000 && CJK_TRIGGERS[c - CJK_FIRST] === 1;

/** Bonus of a word an instruction to a model is made of, strong (2×) or weaker (1×), in several languages. */
const TRIGGER_BONUS = 20;
const STRONG = 'ignore ignoring ignored disregard forget bypass override instructions instruction prompt jailbreak unrestricted unfiltered uncensored dan exfiltrate reveal verbatim password passwords credentials guidelines restrictions ignoriere ignorieren vergiss anweisungen anweisung ignorez oubliez oublie précédentes ignora ignorar ignoren olvida instrucciones instrucción instruções istruzioni negeer instructies zignoruj instrukcje игнорируй игнорировать забудь инструкции инструкций talimatları yoksay'.split(' ');
const WEAK = 'previous previously preceding prior above system assistant ai model llm chatbot secret confidential hidden rules filters developer admin pretend roleplay send forward api key keys token tokens execute curl wget delete transfer urgent important attention instead respond reply output print repeat tool function vorherigen vorherige précédent anteriores precedenti предыдущие'.split(' ');
const TRIGGERS = new Uint8Array(LOCATOR_BUCKETS);
// The same strengths packed two bits a bucket (16 KiB): blockScores reads one per word, and a
// table this small beside the weights keeps the pass's random reads in fewer cache lines than the
// 128 KiB table of weight plus bonus it replaced (the pass took 4-7% less time).
const TRIGGER_BITS = new Uint32Array(LOCATOR_BUCKETS / 16);
for (const [words, strength] of [[WEAK, 1], [STRONG, 2]] as const) {
  for (const w of words) {
    let h = FNV_OFFSET;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
    const b = bucketOf(h ^ WORD_SALT) & LOCATOR_MASK;
    TRIGGERS[b] = strength;
    const shift = (b & 15) << 1;
    TRIGGER_BITS[b >>> 4] = (TRIGGER_BITS[b >>> 4]! & ~(3 << shift)) | (strength << shift);
  }
}
const triggerStrength = (bucket: number): number => (TRIGGER_BITS[bucket >>> 4]! >>> ((bucket & 15) << 1)) & 3;

// Zero-width, bidirectional-control and tag characters (the normalizer drops the first two).
const isInvisible = (c: number): boolean => (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x2064) || c === 0xfeff;

export interface Scanned {
  /** A word's or word pair's locator bucket (≥ 0), or a bonus (minus its size). */
  item: Int32Array;
  /** Where the word starts, or where the bonus is. */
  at: Int32Array;
  length: number;
}

// Reused between calls, like the tokenizer's.
let scratchItem = new Int32Array(1024);
let scratchAt = new Int32Array(1024);

/**
 * The pass over the whole of `text`, as the trainer sees it: its words and word pairs (as locator
 * buckets) at the position the word starts, and its bonuses (as negative numbers) where they are,
 * so the locator is trained on exactly what blockScores sums. Valid until the next call.
 */
export function scanWords(text: string): Scanned {
  const n = text.length;
  if (scratchItem.length < 2 * n + 8) {
    // At most a word, a pair and a bonus per two characters, a bonus per invisible one.
    scratchItem = new Int32Array(2 * n + 8);
    scratchAt = new Int32Array(2 * n + 8);
  }
  const item = scratchItem;
  const at = scratchAt;
  let k = 0;
  const emit = (b: number, where: number): void => {
    item[k] = b;
    at[k++] = where;
  };
  let word = 0;
  let wordStart = -1;
  let prevWord = 0;
  let hasPrev = false;
  let run = 0;
  for (let i = 0; i <= n; i++) {
    let c = i < n ? text.charCodeAt(i) : 32;
    let wordChar: boolean;
    if (c >= 97 && c <= 122) wordChar = true; // most characters: lower-case ASCII letters
    else if (c < 128) {
      if (c >= 65 && c <= 90) c += 32;
      wordChar = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39;
    } else {
      if (c >= 0x410 && c <= 0x42f) c += 32; // Cyrillic capitals, as toLowerCase makes them
      else if (isInvisible(c)) {
        emit(-HIDING_BONUS, i);
        continue; // dropped by the normalizer: the word goes on
      } else if (c === 0xdb40) emit(-HIDING_BONUS, i); // a tag character
      else if (isCjkTrigger(c)) emit(-CJK_BONUS, i);
      wordChar = isWordChar(c);
    }
    // ASCII only: a run of CJK text (no spaces) is not base64.
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47) run++;
    else {
      if (run >= BASE64_RUN) emit(-ENCODED_BONUS, i - run);
      run = 0;
    }
    if (wordChar && i < n) {
      if (wordStart < 0) {
        wordStart = i;
        word = FNV_OFFSET;
      }
      word = Math.imul(word ^ c, 16777619);
    } else if (wordStart >= 0) {
      const unigram = bucketOf(word ^ WORD_SALT) & LOCATOR_MASK;
      emit(unigram, wordStart);
      if (TRIGGERS[unigram]! > 0) emit(-TRIGGER_BONUS * TRIGGERS[unigram]!, wordStart);
      if (hasPrev) emit(bucketOf(Math.imul(prevWord, 31) ^ word ^ BIGRAM_SALT) & LOCATOR_MASK, wordStart);
      prevWord = word;
      hasPrev = true;
      wordStart = -1;
    }
  }
  return { item, at, length: k };
}

/**
 * The locator's summed weight of the words (and word pairs and bonuses) that start in each block
 * of `text`: scanWords's items summed per block, in the same loop written out for speed (summing
 * in place, without the list, takes half the time). test/enrich/injection-locate.test.ts holds
 * the two to the same sums.
 */
export function blockScores(text: string, weights: Int8Array): Int32Array {
  if (nonAsciiKind.length === 0) nonAsciiKind = kindsOfNonAscii();
  const n = text.length;
  const blocks = new Int32Array((n >> BLOCK_BITS) + 2);
  let word = 0;
  let wordStart = -1;
  let prevWord = 0;
  let hasPrev = false;
  let run = 0;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    // Most characters are lower-case ASCII letters: they extend the word and the base64 run and
    // nothing else, so they skip the rest of the loop (a quarter of its time on a 20k-word prompt).
    if (c >= 97 && c <= 122) {
      run++;
      if (wordStart < 0) {
        wordStart = i;
        word = FNV_OFFSET;
      }
      word = Math.imul(word ^ c, 16777619);
      continue;
    }
    let wordChar: boolean;
    if (c < 128) {
      if (c >= 65 && c <= 90) c += 32;
      wordChar = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39;
    } else {
      const kind = nonAsciiKind[c]!;
      if (kind === INVISIBLE) {
        blocks[i >> BLOCK_BITS]! += HIDING_BONUS;
        continue;
      }
      if (kind >= TAG) blocks[i >> BLOCK_BITS]! += kind === TAG ? HIDING_BONUS : CJK_BONUS;
      if (c >= 0x410 && c <= 0x42f) c += 32;
      wordChar = kind !== OTHER;
    }
    // ASCII only: a run of CJK text (no spaces) is not base64.
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47) run++;
    else {
      if (run >= BASE64_RUN) blocks[(i - run) >> BLOCK_BITS]! += ENCODED_BONUS;
      run = 0;
    }
    if (wordChar) {
      if (wordStart < 0) {
        wordStart = i;
        word = FNV_OFFSET;
      }
      word = Math.imul(word ^ c, 16777619);
    } else if (wordStart >= 0) {
      const unigram = bucketOf(word ^ WORD_SALT) & LOCATOR_MASK;
      let w = weights[unigram]! + TRIGGER_BONUS * triggerStrength(unigram);
      if (hasPrev) w += weights[bucketOf(Math.imul(prevWord, 31) ^ word ^ BIGRAM_SALT) & LOCATOR_MASK]!;
      blocks[wordStart >> BLOCK_BITS]! += w;
      prevWord = word;
      hasPrev = true;
      wordStart = -1;
    }
  }
  // The end of the text ends a word and a base64 run, as a space would.
  if (run >= BASE64_RUN) blocks[(n - run) >> BLOCK_BITS]! += ENCODED_BONUS;
  if (wordStart >= 0) {
    const unigram = bucketOf(word ^ WORD_SALT) & LOCATOR_MASK;
    let w = weights[unigram]! + TRIGGER_BONUS * triggerStrength(unigram);
    if (hasPrev) w += weights[bucketOf(Math.imul(prevWord, 31) ^ word ^ BIGRAM_SALT) & LOCATOR_MASK]!;
    blocks[wordStart >> BLOCK_BITS]! += w;
  }
  return blocks;
}

// What a non-ASCII code unit is to the pass, as scanWords decides it, in one table read (not up to
// a dozen comparisons: a fifth of a long prompt may be non-ASCII). Made on the first long text,
// so a process that never scores one does not pay for it.
const OTHER = 0;
const WORD = 1;
const INVISIBLE = 2;
const TAG = 3;
const CJK = 4;
let nonAsciiKind: Uint8Array = new Uint8Array(0);
// Filled by ranges, not by a call per code unit (65,536 calls cost 20 ms at a cold start): every
// non-ASCII unit is a word character but for the four ranges isWordChar excludes, checked here
// with isWordChar itself; invisible characters lie in the first of them.
const NOT_WORD_RANGES: ReadonlyArray<readonly [number, number]> = [[0xa0, 0xa0], [0x2000, 0x206f], [0x3000, 0x303f], [0xff01, 0xff0f]];
function kindsOfNonAscii(): Uint8Array {
  const kinds = new Uint8Array(0x10000).fill(WORD, 128);
  for (const [from, to] of NOT_WORD_RANGES) for (let c = from; c <= to; c++) if (!isWordChar(c)) kinds[c] = isInvisible(c) ? INVISIBLE : OTHER;
  kinds[0xfeff] = INVISIBLE; // the one invisible character outside them
  kinds[0xdb40] = TAG;
  for (const c of CJK_TRIGGER_CHARS) kinds[c.charCodeAt(0)] = CJK;
  return kinds;
}

/**
 * Starts of the `count` spans (SPAN characters, on block boundaries) of `text` that overlap
 * [from, to) and score highest, no two overlapping, in text order. Every instruction of up to
 * BLOCK characters lies whole in some span, wherever it starts. Ties go to the earlier span, so
 * the same text always gets the same spans.
 */
export function suspectSpans(text: string, weights: Int8Array, from: number, to: number, count: number): number[] {
  const blocks = blockScores(text, weights);
  const first = Math.max(0, Math.floor(from / BLOCK) - 1);
  const last = Math.floor((to - 1) / BLOCK); // last block index a span may start at
  const taken: number[] = [];
  for (let k = 0; k < count; k++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = first; i <= last; i++) {
      if (taken.some((t) => Math.abs(t - i) < 2)) continue;
      const s = blocks[i]! + (blocks[i + 1] ?? 0);
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    if (best < 0) break;
    taken.push(best);
  }
  return taken.sort((a, b) => a - b).map((i) => i * BLOCK);
}
