// GET /studio (no auth): the Policy Studio page, from the worker's static assets (wrangler.toml
// [assets], built by scripts/build-studio.mjs). The page signs in itself with the admin token and
// calls the admin routes. The worker runs first for every path, so these headers are always set:
// no framing, scripts only from this origin, nothing sent to other hosts.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { ApiError } from '../http/api-error';

const FILES = new Set(['app.js', 'app.css']);

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    // CodeMirror injects its theme as style elements.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export const studio = new Hono<AppEnv>();

studio.get('/', (c) => asset(c.env.ASSETS, c.req.url, 'index.html'));
studio.get('/:file', (c) => {
  const file = c.req.param('file');
  if (!FILES.has(file)) throw new ApiError(404, 'not_found', `no studio file ${file}`);
  return asset(c.env.ASSETS, c.req.url, file);
});

async function asset(assets: Fetcher | undefined, url: string, file: string): Promise<Response> {
  if (!assets) throw new ApiError(503, 'misconfigured', 'this worker was deployed without the studio assets (wrangler.toml [assets])');
  const res = await assets.fetch(new URL(`/studio/${file}`, url));
  if (!res.ok) throw new ApiError(503, 'misconfigured', `studio asset ${file} is missing; run node scripts/build-studio.mjs before deploying`);
  const headers = new Headers(res.headers);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  // The page itself is always re-checked so a deploy shows at once; its scripts may be cached briefly.
  headers.set('cache-control', file === 'index.html' ? 'no-cache' : 'public, max-age=300');
  return new Response(res.body, { status: 200, headers });
}
