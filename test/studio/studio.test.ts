// The Policy Studio in Debian's Chromium against `npm run dev` (a fresh state folder, a free port):
// one dev server, one browser and one signed-in page walked through the screens in order, a
// screenshot of each at 1280×800 in test/studio/screenshots/. Any console error or page error
// fails the test it happened in.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, CLIENT_KEY, launchChromium, startDevServer, type DevServer } from '../../scripts/studio-browser';
import type { ReplayReport } from '../../src/simulate/replay';
import type { ReplayReport as ReplayShown } from '../../src/studio/replay-view';

// The Replay screen restates the part of the route's ReplayReport it shows: this fails to compile
// when the two drift apart.
export const replayShapeAgrees = (report: ReplayReport): ReplayShown => report;

const SHOTS = join(import.meta.dirname, 'screenshots');
const GENERATED = 'free-tier-teams-may-not-use-gpt-4o-mini';
const run = promisify(execFile);

let dev: DevServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];
let recorded: string[];
let canaryPublished: Promise<unknown>;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [dev, browser] = await Promise.all([startDevServer(), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()} (${m.location().url})`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.setDefaultTimeout(15_000);
  // Traffic for the decision log first (replayed later), then the canary of the rollout test,
  // published meanwhile: the same folder, so it decides nothing differently (and every
  // authoring route compares with the stable).
  recorded = [await evaluate('gpt-4o-mini'), await evaluate('gpt-4o')];
  canaryPublished = publishCanary();
  canaryPublished.catch(() => undefined); // a failure is the rollout test's
});

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
});

afterEach(() => {
  const seen = problems.splice(0);
  expect(seen, 'console errors on the page').toEqual([]);
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
const screen = async (id: string) => {
  await page.click(`nav a[href="#/${id}"]`);
  await page.waitForSelector(`nav a[href="#/${id}"][aria-current="page"]`);
};

/** `llm-policy publish policies --canary 10` into the dev server's state, as the README shows. */
const publishCanary = () =>
  run(process.execPath, ['bin/llm-policy.js', 'publish', 'policies', '--target', 'local', '--persist-to', dev.persistTo, '--canary', '10'], { cwd: join(import.meta.dirname, '../..') });

/** A request through the running bundle with the dev client key: what the decision log records. */
async function evaluate(model: string): Promise<string> {
  const res = await fetch(`${dev.url}/v1/evaluate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ context: { llm: { provider: 'openai', model, prompt: 'Summarize this meeting', maxTokens: 100 } } }),
  });
  return ((await res.json()) as { decision: string }).decision;
}

describe('Policy Studio', () => {
  it('signs in with the admin token and opens the running bundle in the editor', async () => {
    await page.goto(`${dev.url}/studio`);
    await page.waitForSelector('form[aria-label="sign in"]');
    // A wrong token first: refused with a sentence, and the form stays.
    await page.fill('#token', 'not-the-admin-token');
    await page.click('button[type="submit"]');
    await page.waitForSelector('.signin [role="alert"]:has-text("the worker refused this token")');
    // Chromium itself logs the refused request (401) as a console error: that one is expected.
    const refused = problems.findIndex((p) => p.includes('status of 401'));
    expect(refused).toBeGreaterThanOrEqual(0);
    problems.splice(refused, 1);
    await page.fill('#token', ADMIN_TOKEN);
    await shot('sign-in');
    await page.click('button[type="submit"]');
    await page.waitForSelector('.health:text("running 0.1.0")');
    // The folder the worker runs, as tabs.
    await page.waitForSelector('[role="tab"]:text("model-allowlist.yaml")');
    expect(await page.locator('[role="tab"]').allTextContents()).toEqual(expect.arrayContaining(['budgets-and-rate-limits.yaml', 'cost-limits.yaml', 'model-allowlist.yaml']));
    // The token stays in this tab's sessionStorage, out of the URL.
    expect(await page.evaluate('[location.href.includes(sessionStorage.getItem("llm-policy-studio.admin-token")), sessionStorage.getItem("llm-policy-studio.admin-token")]')).toEqual([false, ADMIN_TOKEN]);
  });

  it('shows a lint error inline at the line being typed', async () => {
    await page.click('[role="tab"]:text("model-allowlist.yaml")');
    await page.waitForSelector('[role="tab"][aria-selected="true"]:text("model-allowlist.yaml")');
    await page.waitForSelector('.ok-line:text("No findings.")');
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    const typed = '      decision: ';
    await page.keyboard.insertText(`  - id: typed-in-the-studio\n    condition: { operator: eq, field: team.tier, value: free }\n    action:\n${typed}`);
    await page.locator('.cm-content').pressSequentially('nope', { delay: 20 });
    const line = Number(await page.locator('.cm-lineNumbers .cm-activeLineGutter').textContent());
    expect(line).toBeGreaterThan(3);
    // The finding (once the lint caught up with the last key) names the line and column of the
    // bad value, and the editor underlines it there.
    const finding = await page.waitForSelector('.finding-error:has-text(\'unknown decision "nope"\')');
    expect(await finding.textContent()).toMatch(new RegExp(`^model-allowlist\\.yaml:${line}:${typed.length + 1} error \\[schema-error\\]`));
    await expect.poll(() => page.locator('.cm-activeLine .cm-lintRange-error').textContent()).toBe('nope');
    await page.waitForSelector('.cm-lint-marker-error');
    await shot('editor');
  });

  it('autocompletes the quantifier operators after operator:', async () => {
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.insertText('  - { operator: ');
    await page.keyboard.press('Control+Space');
    const options = page.locator('.cm-tooltip-autocomplete li .cm-completionLabel');
    await options.first().waitFor();
    const labels = await options.allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['eq', 'and', 'any', 'all', 'none']));
    await page.keyboard.press('Escape');
  });

  it('autocompletes $ paths of the element inside a quantifier, by what the list holds', async () => {
    // A rule of its own at the end of the file: a quantifier over the answer's tool calls.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.insertText([
      '  - id: typed-quantifier',
      '    stage: response',
      '    action: { decision: deny, reason: "no transfers from this assistant" }',
      '    condition:',
      '      operator: any',
      '      field: response.toolCalls',
      '      condition: { operator: eq, field: $.',
    ].join('\n'));
    expect(await page.locator('.cm-activeLine').textContent()).toBe('      condition: { operator: eq, field: $.');
    await page.keyboard.press('Control+Space');
    const options = page.locator('.cm-tooltip-autocomplete li');
    await options.first().waitFor();
    const labels = await options.locator('.cm-completionLabel').allTextContents();
    // What `$.` can start: the members of a tool call (no context field begins with `$`).
    expect(labels.sort()).toEqual(['$.arguments', '$.argumentsText', '$.id', '$.name']);
    expect(await options.filter({ hasText: '$.name' }).first().locator('.cm-completionDetail').textContent()).toBe('string · element of response.toolCalls');
    // Narrowing by typing, and accepting with Enter, writes the path.
    await page.keyboard.type('na');
    await expect.poll(() => page.locator('.cm-tooltip-autocomplete li[aria-selected] .cm-completionLabel').textContent()).toBe('$.name');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.cm-activeLine').textContent()).toBe('      condition: { operator: eq, field: $.name');
  });

  it('generates a policy from plain English and accepts it into the editor', async () => {
    // Back to what the worker runs: the typed rule is gone.
    await page.click('button:text("Load running bundle")');
    await page.waitForSelector('.ok-line:text("No findings.")');
    await screen('generate');
    await page.fill('#generate-text', 'free tier teams may not use gpt-4o-mini');
    await page.click('button:text("Generate")');
    await page.waitForSelector('table[aria-label="validation gates"]');
    expect(await page.locator('table[aria-label="validation gates"] tbody tr:has(td:text-is("FAIL"))').count()).toBe(0);
    // The edited folder went along: the generated tests were run beside it, and the one whose
    // decision the shipped model allowlist settles (a request naming no model) keeps only its
    // rule expectations.
    expect(await page.locator('table[aria-label="validation gates"] tbody tr:has(td:text-is("beside the sent files")) td').allTextContents())
      .toEqual(['beside the sent files', 'pass', expect.stringMatching(/^1 test\(s\) keep only their rule expectations: the \d+ policies already there decide those requests$/)]);
    await page.waitForSelector(`[aria-label="generated ${GENERATED}.yaml"] .cm-mergeView`);
    await shot('generate');
    await page.click('button:text("Accept into the editor")');
    await page.waitForSelector(`[role="tab"][aria-selected="true"]:text("${GENERATED}.yaml")`);
    await page.waitForSelector('.cm-content:has-text("value: gpt-4o-mini")');
  });

  it('runs the folder\'s tests, the generated ones included', async () => {
    await screen('tests');
    await page.click('button:text("Run tests")');
    const summary = await page.waitForSelector('.summary');
    // The generated cases carry a realistic baseline (provider, model, team), so they pass beside
    // the shipped policies; "model missing", whose decision the shipped model allowlist settles,
    // was narrowed to its rule expectations by the generate gate, so it passes too.
    expect(await summary.textContent()).toMatch(/^[1-9]\d* passed, 0 failed$/);
    const rows = page.locator('table[aria-label="test results"] tbody tr');
    expect(await rows.filter({ hasText: 'deny-models-free applies' }).first().getAttribute('class')).toBe('pass');
    expect(await rows.filter({ hasText: 'claude-3-5-haiku' }).first().getAttribute('class')).toBe('pass');
    expect(await rows.filter({ hasText: 'llm.model missing' }).first().getAttribute('class')).toBe('pass');
    await shot('tests');
  });

  it('explains a denied context leaf by leaf', async () => {
    await screen('sandbox');
    await page.fill('label:text("model") input', 'gpt-4o-mini');
    await page.click('button:text("Explain")');
    await page.waitForSelector('.explained .outcome .badge-deny');
    const rule = page.locator(`.rule-matched:has-text("${GENERATED}/deny-models-free")`);
    expect(await rule.locator('.leaf-pass .saw').allTextContents()).toEqual(expect.arrayContaining(['saw "free"', 'saw "gpt-4o-mini"']));
    // A rule that did not match shows the leaf that failed and the value it saw.
    const failed = page.locator('.rule:not(.rule-matched) .leaf-fail').first();
    await failed.waitFor();
    expect(await failed.locator('.saw').textContent()).toMatch(/^saw /);
    await shot('sandbox');
  });

  it('replays recorded decisions and shows the request whose decision changes', async () => {
    // What the running bundle decided for the dev team (free tier) in beforeAll.
    expect(recorded).toEqual(['allow', 'deny']);
    await screen('replay');
    await page.click('button:text("Replay")');
    const row = page.locator('table[aria-label="changed requests"] tbody tr').first();
    await row.waitFor();
    expect(await page.locator('.replay .summary').textContent()).toMatch(/^2 requests · 1 would change/);
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(1, 4)).toEqual(['allow → deny', `${GENERATED}/deny-models-free`, 'dev-team']);
    await shot('replay');
  });

  it('diffs the edited folder against the running bundle', async () => {
    await screen('diff');
    const summary = await page.waitForSelector('.summary:has-text("running 0.1.0")');
    expect(await summary.textContent()).toContain('1 added, 0 removed, 0 modified');
    expect(await page.locator('.diff-list li.added').allTextContents()).toEqual([`+ policy ${GENERATED}`]);
    await page.waitForSelector('.generated .cm-mergeView');
    await shot('diff');
  });

  it('shows the publish command to ship the edited folder', async () => {
    await screen('ship');
    const command = await page.waitForSelector('pre[aria-label="publish command"]');
    expect(await command.textContent()).toMatch(/npx llm-policy publish \S+ --canary 10/);
    await shot('ship');
  });

  it('shows the rollout after llm-policy publish --canary', async () => {
    await canaryPublished;
    await screen('rollout');
    const facts = page.locator('dl[aria-label="pointer"]');
    await facts.locator('dd:text-is("0.1.1")').waitFor();
    expect(await facts.locator('div').allTextContents()).toEqual(expect.arrayContaining(['stable0.1.0', 'canary0.1.1', 'canary share10%']));
    await page.waitForSelector('table[aria-label="promotion gates"]');
    expect(await page.locator('table[aria-label="rollout history"] tbody tr').count()).toBe(2);
    await shot('rollout');
  });

  it('lists the recorded decisions and the budgets of the running bundle', async () => {
    await screen('decisions');
    await page.waitForSelector('table[aria-label="decision records"] tbody tr');
    expect(await page.locator('table[aria-label="decision records"] tbody tr').count()).toBe(2);
    await shot('decisions');
    await screen('budgets');
    await page.waitForSelector('.card[aria-label^="budget "] .bar-track');
    await shot('budgets');
  });
  it('stays readable on a narrow screen: no screen scrolls sideways, every screen reachable', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const wide: string[] = [];
      for (const id of ['editor', 'generate', 'tests', 'sandbox', 'replay', 'diff', 'ship', 'rollout', 'decisions', 'budgets']) {
        await screen(id);
        const [scroll, width] = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, window.innerWidth]');
        if (scroll > width + 1) wide.push(`${id}: ${scroll}px wide in ${width}px`);
      }
      await screen('rollout');
      await page.screenshot({ path: join(SHOTS, 'narrow-rollout.png') });
      expect(wide).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});
