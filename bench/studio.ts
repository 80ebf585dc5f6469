// `npm run bench -- studio`: the Policy Studio's size and load time. Size: the gzip of the JS and
// CSS `npm run dev` serves (the budget is 300 KiB). Load: Chromium (1280×800) on GET /studio of
// `npm run dev` (a fresh state folder, a free port), read from the page's own Performance API:
// first paint, first contentful paint, DOMContentLoaded, load, and when the page is usable (the
// sign-in form; signed in, the editor with the running bundle). Cold = a new browser context (no
// cache) per run; warm = a reload in the same context. Medians of RUNS runs, with min–max.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_TOKEN, launchChromium, startDevServer } from '../scripts/studio-browser';
import { describeMachine, percentile } from './stats';

const RUNS = Number(process.env.STUDIO_BENCH_RUNS ?? 7);
const ASSETS = join(import.meta.dirname, '..', 'dist-studio', 'studio');
const TOKEN_KEY = 'llm-policy-studio.admin-token';

type Timings = Record<'firstPaint' | 'firstContentfulPaint' | 'domContentLoaded' | 'load' | 'usable', number>;

// Evaluated in the page (a string: this file is type-checked without the DOM library).
const PAINTS = `(() => {
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
  const nav = performance.getEntriesByType('navigation')[0];
  return { firstPaint: paint['first-paint'], firstContentfulPaint: paint['first-contentful-paint'], domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
})()`;

/** performance.now() of the first animation frame in which `selector` is on the page. */
async function usableAt(page: Page, selector: string): Promise<number> {
  // A function, not a string: the page's CSP forbids eval, which a string predicate needs.
  const handle = await page.waitForFunction((sel) => (globalThis as any).document.querySelector(sel) !== null && performance.now(), selector, { polling: 'raf', timeout: 30_000 });
  return Number(await handle.jsonValue());
}

async function measure(page: Page, url: string, selector: string, reload: boolean): Promise<Timings> {
  if (reload) await page.reload({ waitUntil: 'load' });
  else await page.goto(url, { waitUntil: 'load' });
  const usable = await usableAt(page, selector);
  // Paint entries are recorded by then; loadEventEnd is set once load has finished.
  await page.waitForFunction(() => (performance as any).getEntriesByType('navigation')[0].loadEventEnd > 0);
  return { ...(await page.evaluate(PAINTS)) as Omit<Timings, 'usable'>, usable };
}

async function series(browser: Browser, url: string, signedIn: boolean): Promise<{ cold: Timings[]; warm: Timings[] }> {
  const selector = signedIn ? '[role="tab"] + .tab-close, .cm-editor' : 'form[aria-label="sign in"] input#token';
  const cold: Timings[] = [];
  const warm: Timings[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    if (signedIn) await context.addInitScript(`sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(ADMIN_TOKEN)})`);
    const page = await context.newPage();
    cold.push(await measure(page, url, selector, false));
    warm.push(await measure(page, url, selector, true));
    await context.close();
  }
  return { cold, warm };
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);
const ms = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;

function rows(label: string, runs: Timings[]): string {
  const col = (k: keyof Timings) => ms(runs.map((r) => r[k]));
  return `| ${label} | ${col('firstPaint')} | ${col('firstContentfulPaint')} | ${col('domContentLoaded')} | ${col('load')} | ${col('usable')} |`;
}

async function main(): Promise<void> {
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  const loadBefore = load();
  const dev = await startDevServer();
  const browser = await launchChromium();
  try {
    const size = ['app.js', 'app.css', 'index.html'].map((f) => {
      const bytes = readFileSync(join(ASSETS, f));
      return { f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
    const url = `${dev.url}/studio`;
    const signIn = await series(browser, url, false);
    const editor = await series(browser, url, true);
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    const jsCss = size.filter((s) => s.f !== 'index.html').reduce((n, s) => n + s.gzip, 0);
    console.log(`Machine ${describeMachine()}. Date ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${RUNS} runs per row; load average ${loadBefore} before, ${load()} after.\n`);
    console.log('| file | raw | gzip -9 |\n|---|---:|---:|');
    for (const s of size) console.log(`| ${s.f} | ${kib(s.raw)} | ${kib(s.gzip)} |`);
    console.log(`| **JS + CSS** | | **${kib(jsCss)}** (budget 300 KiB) |\n`);
    console.log('Milliseconds from navigation start, median (min–max):\n');
    console.log('| page | first paint | first contentful paint | DOMContentLoaded | load | usable |\n|---|---:|---:|---:|---:|---:|');
    console.log(rows('sign-in, cold', signIn.cold));
    console.log(rows('sign-in, warm (reload)', signIn.warm));
    console.log(rows('signed in → editor with the running bundle, cold', editor.cold));
    console.log(rows('signed in → editor, warm (reload)', editor.warm));
  } finally {
    await browser.close();
    await dev.stop();
  }
}

main().catch((e) => {
  console.error(`bench studio: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
