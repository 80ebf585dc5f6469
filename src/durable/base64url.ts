// UTF-8 text to base64url and back, for the opaque ids and cursors handed to API callers.

const ASCII = /^[\x00-\x7f]*$/;

export function encodeBase64url(text: string): string {
  // ASCII (every reservation id the proxy makes, most cursors) is its own UTF-8: no byte loop.
  let binary = text;
  if (!ASCII.test(text)) {
    binary = '';
    for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Throws on anything that is not base64url of valid UTF-8. */
export function decodeBase64url(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TypeError('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}
