// Base64 blocks that decode to readable text: a common way to smuggle instructions past filters.
// Images and binary data decode to unprintable bytes and are not reported.

const BASE64_BLOCK = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{40,8192}={0,2}/g;
/** Decoding stops after this many characters in all, however many blocks the text holds. */
const MAX_DECODED_CHARS = 16 * 1024;

function decodeBase64(block: string): string | undefined {
  const usable = block.replace(/=+$/, '');
  try {
    return atob(usable.slice(0, usable.length - (usable.length % 4)));
  } catch {
    return undefined;
  }
}

/** Mostly printable ASCII with word breaks: prose, not binary or compact JSON. */
function looksLikeText(decoded: string): boolean {
  let printable = 0;
  let spaces = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x09) printable++;
    if (c === 0x20) spaces++;
  }
  return decoded.length > 0 && printable / decoded.length >= 0.95 && spaces >= 3;
}

/** The readable texts hidden in base64 blocks of `text`. */
export function decodedTextBlocks(text: string): string[] {
  const found: string[] = [];
  let budget = MAX_DECODED_CHARS;
  BASE64_BLOCK.lastIndex = 0;
  for (let m = BASE64_BLOCK.exec(text); m !== null && budget > 0; m = BASE64_BLOCK.exec(text)) {
    const decoded = decodeBase64(m[0].slice(0, budget));
    if (decoded !== undefined) {
      budget -= m[0].length;
      if (looksLikeText(decoded)) found.push(decoded);
    }
  }
  return found;
}
