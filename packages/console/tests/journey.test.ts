/**
 * The Developer Console end to end: Debian's headless Chromium (playwright-core) against a Roost this test starts,
 * through the developer's whole journey — sign up, create an app, copy the bearer token, call the API with it
 * through the SDK, see the call in usage within 2 s, regenerate the token and see the old one get 401, add a rule
 * (the parser's messages as you type), post a matching post from the composer and see it arrive in the viewer.
 * Every page is screenshotted (.tmp/console-screenshots/) and checked with axe-core (no serious or critical
 * violations); the bundle's gzip size is written to .tmp/console-bundle.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import axe from 'axe-core';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { Client, ApiError } from '../../sdk/src/index.js';

// What page.evaluate's functions reach in the page (this file is type-checked without the DOM library).
declare const window: { axe: typeof axe };
declare const document: unknown;
declare const navigator: { clipboard: { readText(): Promise<string> } };

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SHOTS = join(ROOT, '.tmp', 'console-screenshots');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

let s: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!CHROMIUM) throw new Error("Chromium is not installed (apt-get install chromium; .ci/run installs it)");
  mkdirSync(SHOTS, { recursive: true });
  s = await startTestServer({ seed: 3, users: 12, posts: 40, now: Date.now() });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.url });
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

/** Screenshot and axe-core check of the page as it is. */
async function check(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await p.addScriptTag({ content: axe.source });
  const violations = await p.evaluate(async () => {
    const r = await window.axe.run(document as Parameters<typeof axe.run>[0], { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, `${name}: axe-core`).toEqual([]);
}

const api = (bearerToken: string) => new Client({ baseUrl: s.url, bearerToken, retry: false });

describe('Developer Console journey', () => {
  let bearer = '';
  let appId = '';

  it('signs up', async () => {
    // The first request builds the console if it is not built yet.
    await page.goto(`${s.url}/console/`, { timeout: 180_000 });
    await page.getByLabel('E-mail').waitFor();
    await check(page, '1-sign-up');
    await page.getByLabel('E-mail').fill('journey@example.com');
    await page.getByLabel('Password').fill('journey-password');
    await page.getByLabel('X username (owns your apps)').fill('journey_dev');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('@journey_dev').waitFor();
  });

  it('creates an app and copies its bearer token', async () => {
    await page.getByLabel('App name').fill('Journey bot');
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.getByRole('button', { name: 'Copy Bearer token' }).click();
    bearer = await page.evaluate(() => navigator.clipboard.readText());
    expect(bearer).toMatch(/^AAAAAAAAAAAAAAAAAAAAA\d+/);
    appId = (await page.getByRole('link', { name: 'Open Journey bot' }).getAttribute('href'))!.split('/').pop()!;
    await check(page, '2-apps');
  });

  it('calls the API with it through the SDK, and sees the call in usage within 2 s', async () => {
    await page.goto(`${s.url}/console/#/usage`);
    await page.getByText('Live ·').waitFor();
    const res = await api(bearer).users.getByUsername('journey_dev');
    expect(res.data?.username).toBe('journey_dev');
    const started = Date.now();
    await page.locator('tr[data-operation="getUsersByUsername"]').waitFor({ timeout: 2_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect.poll(() => page.getByTestId('total-requests').textContent()).not.toBe('0');
    await check(page, '3-usage');
  });

  it('regenerates the bearer token: the old one gets 401', async () => {
    await page.goto(`${s.url}/console/#/apps/${appId}`);
    await page.getByRole('button', { name: 'Regenerate Bearer token' }).click();
    await page.getByRole('button', { name: 'Copy Bearer token' }).waitFor();
    const fresh = (await page.locator('code[data-secret="Bearer token"]').textContent())!;
    expect(fresh).not.toBe(bearer);
    const old = await api(bearer).users.getByUsername('journey_dev').then(() => 200, (e: ApiError) => e.status);
    expect(old).toBe(401);
    expect((await api(fresh).users.getByUsername('journey_dev')).data?.username).toBe('journey_dev');
    await check(page, '4-app');
  });

  it("adds a rule with the parser's messages as you type, posts from the composer, and sees it in the viewer", async () => {
    await page.goto(`${s.url}/console/#/streams`);
    const rule = page.getByLabel('Rule', { exact: true });
    await rule.fill('(journey');
    await page.locator('#rule-check .error').waitFor();
    expect(await page.locator('#rule-check').textContent()).toMatch(/\S/);
    await rule.fill('journey console');
    await page.locator('#rule-check .ok').waitFor();
    await page.getByLabel('Tag (optional)').fill('journey');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('.rules code', { hasText: 'journey console' }).waitFor();
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByText('Connected', { exact: true }).waitFor();
    await check(page, '5-streams');

    const composer = await context.newPage();
    await composer.goto(`${s.url}/console/#/world`);
    await composer.getByLabel('Post text').waitFor();
    const author = await composer.getByLabel('Post as').inputValue();
    await composer.getByLabel('Post text').fill('A journey through the console, posted from the composer');
    await composer.getByRole('button', { name: 'Post', exact: true }).click();
    await composer.getByText(`as @${author}.`).waitFor();
    await check(composer, '6-world');

    const arrived = page.locator('.arrivals li', { hasText: 'A journey through the console' });
    await arrived.waitFor({ timeout: 10_000 });
    expect(await arrived.textContent()).toContain(`@${author}`);
    await check(page, '7-stream-viewer');

    await composer.goto(`${s.url}/console/#/explorer`);
    await composer.getByLabel('Operation', { exact: true }).waitFor();
    await expect.poll(() => composer.locator('pre').first().textContent()).toContain('curl -X');
    await check(composer, '8-explorer');
    await composer.close();
  });

  it('reports the bundle size', () => {
    const assets = join(ROOT, 'packages', 'console', 'dist', 'assets');
    const sizes = readdirSync(assets).map((f) => ({ file: f, bytes: readFileSync(join(assets, f)).length, gzip: gzipSync(readFileSync(join(assets, f))).length }));
    const gzipKb = sizes.reduce((n, f) => n + f.gzip, 0) / 1024;
    writeFileSync(join(ROOT, '.tmp', 'console-bundle.json'), `${JSON.stringify({ gzip_kb: Number(gzipKb.toFixed(1)), files: sizes }, null, 2)}\n`);
    console.log(`console bundle: ${gzipKb.toFixed(1)} kB gzip`);
    expect(gzipKb).toBeLessThan(100);
  });
});
