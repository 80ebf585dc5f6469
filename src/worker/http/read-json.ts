// Reads a JSON request body with a hard size cap. Content-Length is checked first (cheap refusal),
// then the bytes actually read are counted, since the header can be absent or lie.
import { ApiError } from './api-error';

const decoder = new TextDecoder();

// The bytes each request's body was parsed from: the proxy forwards them as they came when no
// obligation changed the body (one serialisation less, and the provider sees the caller's bytes).
const rawBodies = new WeakMap<Request, Uint8Array>();

/** The bytes readJsonBody parsed for this request, if it did. */
export function rawBodyOf(req: Request): Uint8Array | undefined {
  return rawBodies.get(req);
}

export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readCapped(req, maxBytes);
  if (bytes.length === 0) throw new ApiError(400, 'invalid_json', 'request body is empty; expected a JSON object');
  rawBodies.set(req, bytes);
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    // The parser's message quotes the body, which may hold secrets: say only what is wrong.
    throw new ApiError(400, 'invalid_json', 'request body is not valid JSON');
  }
}

async function readCapped(req: Request, maxBytes: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array(0);
  // With a Content-Length the HTTP layer frames the body to that size, so the runtime's native
  // read is safe and fastest; the actual length is still checked.
  if (req.headers.has('content-length')) {
    const bytes = new Uint8Array(await req.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
    return bytes;
  }
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, 'payload_too_large', `request body exceeds ${maxBytes} bytes`);
}
