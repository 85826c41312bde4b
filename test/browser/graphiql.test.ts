import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadDemo } from '../../src/demo';
import { startServer, type TestServer } from '../support/harness';

/**
 * GraphiQL in Debian's headless Chromium with every non-local request
 * blocked: the page must work on a network without internet access. The
 * screenshot is kept by CI as an artifact.
 */
const ROOT = path.resolve(__dirname, '../..');
const SCREENSHOT = path.join(ROOT, 'artifacts/graphiql.png');

let server: TestServer;
let browser: Browser;
let page: Page;
/** Every request that tried to leave the machine. */
const outside: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  // Bundle the page from the current sources (npm run build does the same).
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-graphiql.mjs')], { cwd: ROOT, stdio: 'inherit' });
  server = await startServer();
  await loadDemo(server.database.db);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    outside.push(url.href);
    return route.abort('blockedbyclient');
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Content security policy violations are reported as console errors.
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('GraphiQL runs the starter query on the demo data with no request leaving the machine', async () => {
  const response = await page.goto(`${server.url}/graphql`);
  expect(response?.status()).toBe(200);
  expect(await page.title()).toBe('Berth GraphiQL');
  expect(response?.headers()['content-security-policy']).toMatch(/default-src 'none'/);

  const editor = page.locator('.graphiql-query-editor');
  await editor.getByText('query Repositories').waitFor();
  // The Authorization header has its place, open below the query.
  await page.locator('.graphiql-editor-tool').getByText('"Authorization"').waitFor();

  await page.locator('.graphiql-execute-button').click();
  const result = page.locator('.result-window');
  await result.getByText('"library/registry"').waitFor();
  await result.getByText('"admin/nginx"').waitFor();
  expect(await result.textContent()).not.toContain('admin/secrets');

  // History remembers the query just run.
  await page.getByRole('button', { name: 'Show History' }).click();
  await page.locator('.graphiql-history').getByText('Repositories').first().waitFor();
  // The documentation explorer reads the schema from Berth.
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.getByText('Query', { exact: true }).first().click();
  await docs.getByText('repositories', { exact: true }).first().waitFor();

  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });

  expect(outside).toEqual([]);
  expect(pageErrors).toEqual([]);
});
