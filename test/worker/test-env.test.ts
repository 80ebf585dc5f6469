// The worker tests run on the test configuration only: a developer's own .dev.vars (which
// `npm run dev` writes, and people edit) must not change what they see.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('the workers test environment', () => {
  it('has wrangler.toml\'s vars and the test bindings, whatever .dev.vars says', () => {
    const vars = env as unknown as Record<string, string | undefined>;
    expect(vars.FAIL_OPEN).toBe('false');
    expect(vars.ADMIN_TOKEN).toBe('test-admin-token');
    expect(vars.LOCAL_DEV).toBe('true');
    expect(vars.MASK_FIELDS ?? '').toBe('');
  });
});
