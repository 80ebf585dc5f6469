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

function unspaced(text: string): string | undefined {
  let changed = false;
  const out = text.replace(SPACED, (whole, letters: string) => {
    changed = true;
    return whole.slice(0, whole.length - letters.length) + letters.replace(/[ .\-_*|/]/g, '');
  });
  return changed ? out : undefined;
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i', '|': 'l', '+': 't' };
// A word that mixes letters with digits or symbols used as letters: "1gn0r3", "pr0mpt", "$ecret".
// Words are matched plainly and the mix checked after: two lookaheads at every position made
// this the slowest step of a long prompt.
const LEET_CANDIDATE = /[\p{L}0-9@$!|+]{3,}/gu;
const LEET_CHAR = /[0-9@$!|+]/;
const LETTER = /\p{L}/u;

function unleet(text: string): string | undefined {
  let words = 0;
  const out = text.replace(LEET_CANDIDATE, (w) => {
    if (!LEET_CHAR.test(w) || !LETTER.test(w)) return w;
    if (/^\d+[a-z]{1,2}$|^[a-z]\d+$/i.test(w)) return w; // 10th, 4k, v2: not leetspeak
    words++;
    return w.replace(/[0-9@$!|+]/g, (c) => LEET[c] ?? c);
  });
  return words >= 2 ? out : undefined;
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
