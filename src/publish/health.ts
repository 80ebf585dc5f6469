// Waiting for the local worker: poll GET /healthz until it answers with the bundle we published.
export interface Health {
  status?: string;
  bundle?: { version: string; hash: string } | null;
  missing?: string[];
}

export interface WaitOptions {
  /** Stop early with the last answer once it reports this bundle version. */
  version?: string;
  /** Give up after this long (the answer so far, or null, is returned). */
  timeoutMs: number;
  intervalMs?: number;
  /** False once the server process has exited: stop waiting. */
  alive?: () => boolean;
}

export async function waitForHealth(baseUrl: string, opts: WaitOptions): Promise<Health | null> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: Health | null = null;
  while (Date.now() < deadline && (opts.alive?.() ?? true)) {
    try {
      const res = await fetch(new URL('/healthz', baseUrl));
      last = (await res.json().catch(() => ({ status: `HTTP ${res.status}` }))) as Health;
      if (opts.version === undefined || last.bundle?.version === opts.version) return last;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
  return last;
}
