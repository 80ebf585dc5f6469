// Local mode: the fixed dev credentials of interfaces.md, for `npm run dev` and tests only.
//
// Why it cannot switch on in a deployed worker: it needs BOTH
//   1. LOCAL_DEV=true, which only `.dev.vars` (written by `npm run dev`, git-ignored, never
//      uploaded by `wrangler deploy`) and the test config set; wrangler.toml never sets it, and
//   2. a request addressed to a loopback host (localhost, 127.0.0.1, [::1]). Cloudflare routes a
//      deployed worker by its public hostname, so its requests never carry a loopback URL, even
//      if someone set LOCAL_DEV in the dashboard by mistake.
import type { Subject } from './subject';

export const DEV_ADMIN_TOKEN = 'dev-admin-token';
export const DEV_CLIENT_KEY = 'dev-client-key';
export const DEV_KEY_ID = 'dev';
export const DEV_SUBJECT: Subject = {
  user: { id: 'dev-user' },
  team: { id: 'dev-team', tier: 'free' },
  project: { id: 'dev-project', environment: 'dev' },
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLocalMode(localDevVar: boolean, url: string): boolean {
  if (!localDevVar) return false;
  return LOOPBACK_HOSTS.has(new URL(url).hostname);
}
