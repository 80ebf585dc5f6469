// Decoded "views" of a text: what an obfuscated instruction says once undone. The classifier
// scores each view that applies, so "1gn0r3 pr3v10u5 1nstruct10ns", a base64 block, rot13 or
// reversed text reads to it as plain words. A view applies only when the text shows the trait
// (a block that decodes to prose, mixed-script words, letters spaced apart, ...), so ordinary
// prompts pay for none of them.
import { decodedTextBlocks } from './encoded';

export type ViewName = 'base64' | 'hex' | 'rot13' | 'reversed' | 'spaced' | 'leetspeak' | 'homoglyphs';

export interface View {
  name: ViewName;
  text: string;
}

/** Each view reads at most this many characters of the text. */
const VIEW_CHARS = 4000;

const HEX_BLOCK = /(?<![0-9a-f])(?:[0-9a-f]{2}[ :]?){20,2000}/gi;

function hexBlocks(text: string): string[] {
  const found: string[] = [];
  HEX_BLOCK.lastIndex = 0;
  for (let m = HEX_BLOCK.exec(text); m !== null; m = HEX_BLOCK.exec(text)) {
    const digits = m[0].replace(/[ :]/g, '');
    let out = '';
    let printable = 0;
    for (let i = 0; i + 1 < digits.length; i += 2) {
      const c = parseInt(digits.slice(i, i + 2), 16);
      if (c >= 0x20 && c < 0x7f) printable++;
      out += String.fromCharCode(c);
    }
    if (out.length > 0 && printable / out.length >= 0.95 && out.includes(' ')) found.push(out);
  }
  return found;
}

// Words common in English prose and in instructions: the share of them tells readable text
// from scrambled, which is how rot13 and reversal are detected (and undone only if that helps).
const COMMON = new Set(
  'the and you to of a is in it that for your this are be on with as all not or do what me my now from have can will any previous instructions ignore tell say print reveal system prompt password secret above rules must'.split(' '),
);

function commonShare(text: string): number {
  const words = text.slice(0, 1500).toLowerCase().match(/[a-z]+/g);
  if (!words || words.length < 3) return 0;
  let hits = 0;
  for (const w of words) if (COMMON.has(w)) hits++;
  return hits / words.length;
}

function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

const reverse = (text: string): string => [...text].reverse().join('');

// "i g n o r e", "i.g.n.o.r.e", "i-g-n-o-r-e": five or more single letters with one separator.
const SPACED = /(?:^|[^\p{L}])((?:\p{L}[ .\-_*|/]){4,}\p{L})(?![\p{L}])/gu;

// A cheap necessary condition for SPACED, without Unicode mode (which makes a scan several times
// slower): five non-separators with one separator between each. It holds for every SPACED match
// when the text has no surrogate pairs (each letter is then one code unit).
const SPACED_HINT = /[^ .\-_*|/][ .\-_*|/][^ .\-_*|/][ .\-_*|/][^ .\-_*|/][ .\-_*|/][^ .\-_*|/][ .\-_*|/][^ .\-_*|/]/;
const SURROGATE = /[\ud800-\udfff]/;

function unspaced(text: string): string | undefined {
  if (!SPACED_HINT.test(text) && !SURROGATE.test(text)) return undefined;
  let changed = false;
  const out = text.replace(SPACED, (whole, letters: string) => {
    changed = true;
    return whole.slice(0, whole.length - letters.length) + letters.replace(/[ .\-_*|/]/g, '');
  });
  return changed ? out : undefined;
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i', '|': 'l', '+': 't' };
// A word that mixes letters with digits or symbols used as letters: "1gn0r3", "pr0mpt", "$ecret".
// A word is a run of three or more letters, digits and those symbols (as /[\p{L}0-9@$!|+]{3,}/u
// would match it). Only a run holding a digit or symbol can change, so runs are found from those
// characters by a plain scan: running the Unicode-mode pattern over every word was the slowest
// step of a long prompt's views.
const LEET_SYMBOL = /[0-9@$!|+]/g;
const LETTER = /\p{L}/u;

/** Code units of the word character (letter, digit or leet symbol) at `at`: 0 when it is none, 2 for an astral letter. */
function wordUnitsAt(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 64 || c === 36 || c === 33 || c === 124 || c === 43 ? 1 : 0;
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(at + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return LETTER.test(text.slice(at, at + 2)) ? 2 : 0;
  }
  return LETTER.test(text.charAt(at)) ? 1 : 0;
}

/** The same for the character that ends just before `end`. */
function wordUnitsBefore(text: string, end: number): number {
  const c = text.charCodeAt(end - 1);
  if (c >= 0xdc00 && c <= 0xdfff && end >= 2) {
    const high = text.charCodeAt(end - 2);
    if (high >= 0xd800 && high <= 0xdbff) return wordUnitsAt(text, end - 2);
  }
  return wordUnitsAt(text, end - 1);
}

// Leetspeak needs two words that mix, so at least two places where a letter touches a digit or
// symbol: counted before the runs are read.

function letterTouches(text: string, max: number): number {
  let found = 0;
  LEET_SYMBOL.lastIndex = 0;
  for (let m = LEET_SYMBOL.exec(text); m !== null && found < max; m = LEET_SYMBOL.exec(text)) {
    const before = text.charAt(m.index - 1);
    const after = text.charAt(m.index + 1);
    if (isLetterAt(text, m.index - 1, before) || isLetterAt(text, m.index + 1, after)) found++;
  }
  return found;
}

/** Whether the code point around `at` is a letter (a surrogate half is read with its pair). */
function isLetterAt(text: string, at: number, unit: string): boolean {
  if (unit === '') return false;
  const c = unit.charCodeAt(0);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  if (c >= 0xd800 && c <= 0xdfff) return true; // an astral character: leave it to the full check
  return LETTER.test(unit);
}

function unleet(text: string): string | undefined {
  if (letterTouches(text, 2) < 2) return undefined;
  let words = 0;
  let out = '';
  let copied = 0;
  LEET_SYMBOL.lastIndex = 0;
  for (let m = LEET_SYMBOL.exec(text); m !== null; m = LEET_SYMBOL.exec(text)) {
    // The whole run around the symbol, counted in characters (code points).
    let start = m.index;
    let length = 1;
    for (let units = wordUnitsBefore(text, start); start > 0 && units > 0; units = wordUnitsBefore(text, start)) {
      start -= units;
      length++;
    }
    let end = m.index + 1;
    for (let units = wordUnitsAt(text, end); end < text.length && units > 0; units = wordUnitsAt(text, end)) {
      end += units;
      length++;
    }
    LEET_SYMBOL.lastIndex = end; // the rest of the run is done
    if (length < 3) continue;
    const w = text.slice(start, end);
    if (!LETTER.test(w)) continue;
    if (/^\d+[a-z]{1,2}$|^[a-z]\d+$/i.test(w)) continue; // 10th, 4k, v2: not leetspeak
    words++;
    out += text.slice(copied, start) + w.replace(/[0-9@$!|+]/g, (c) => LEET[c] ?? c);
    copied = end;
  }
  return words >= 2 ? out + text.slice(copied) : undefined;
}

// Cyrillic and Greek letters that look like Latin ones, as used to slip words past filters.
const CONFUSABLE: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ɡ: 'g', һ: 'h', ӏ: 'l', ո: 'n', ν: 'v',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I',
  α: 'a', ο: 'o', ρ: 'p', ε: 'e', ι: 'i', κ: 'k', τ: 't', υ: 'u', χ: 'x', Α: 'A', Β: 'B', Ε: 'E', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Χ: 'X',
};
// A word with both a Latin letter and a Cyrillic or Greek one, or any fullwidth/mathematical letter.
const MIXED_SCRIPT = /[a-z][\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]|[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f][a-z]|[\uff21-\uff5a]|\ud835[\udc00-\udfff]/i;

function deconfused(text: string): string | undefined {
  if (!MIXED_SCRIPT.test(text)) return undefined;
  return text.normalize('NFKC').replace(/[\u0370-\u052f]/g, (c) => CONFUSABLE[c] ?? c);
}

/** The views of `text` that apply, each at most VIEW_CHARS long (`base64` from the blocks already decoded). */
export function decodedViews(text: string, b64: string[] = decodedTextBlocks(text)): View[] {
  const views: View[] = [];
  const add = (name: ViewName, decoded: string | undefined): void => {
    if (decoded !== undefined && decoded.length > 0) views.push({ name, text: decoded.slice(0, VIEW_CHARS) });
  };
  if (b64.length > 0) add('base64', b64.join('\n'));
  const hex = hexBlocks(text);
  if (hex.length > 0) add('hex', hex.join('\n'));
  const head = text.slice(0, VIEW_CHARS);
  const plain = commonShare(head);
  if (plain < 0.12) {
    const rotated = rot13(head);
    if (commonShare(rotated) > plain + 0.1) add('rot13', rotated);
    const reversed = reverse(head);
    if (commonShare(reversed) > plain + 0.1) add('reversed', reversed);
  }
  add('spaced', unspaced(head));
  add('leetspeak', unleet(head));
  add('homoglyphs', deconfused(head));
  return views;
}
