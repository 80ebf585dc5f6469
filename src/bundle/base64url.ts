// base64url without padding (RFC 4648 §5): the text form of keys and signatures.
// atob/btoa exist in Node 20 and workerd alike, so no Buffer.

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url (trailing `=` padding tolerated); null when the text is not base64url. */
export function fromBase64url(text: string): Uint8Array | null {
  const unpadded = text.replace(/={1,2}$/, '');
  if (!BASE64URL.test(unpadded) || unpadded.length % 4 === 1) return null;
  const binary = atob(unpadded.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
