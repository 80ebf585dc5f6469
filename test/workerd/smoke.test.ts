import { SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';

it('worker answers', async () => {
  const res = await SELF.fetch('http://x/');
  expect(res.status).toBe(200);
});
