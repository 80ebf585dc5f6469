// GET /studio: the page and its two files from the worker's static assets, with the headers that
// keep it from being framed or loading scripts from elsewhere; nothing else under /studio.
import { describe, expect, it } from 'vitest';
import { call } from './support/http';

describe('GET /studio', () => {
  it('serves the page without a token, blocked from framing', async () => {
    const res = await call('/studio');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/studio/app.js"></script>');
  });

  it('serves the built script and stylesheet with the same headers', async () => {
    const js = await call('/studio/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await js.text()).length).toBeGreaterThan(10_000);
    const css = await call('/studio/app.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
  });

  it('answers 404 for any other path under /studio, and the API stays the API', async () => {
    const res = await call('/studio/secrets.json');
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe('not_found');
    expect((await call('/v1/rollout')).status).toBe(401);
  });
});
