/**
 * What a newcomer does: `npm start` (= `charter dev`) as a real process. It prints the endpoint, a
 * GraphiQL link and the demo keys (kept in a file only its owner can read), answers curl-style
 * requests, serves GraphiQL from the project (checked in a real browser), and stops cleanly.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { graphql, spawnCharter, tempDir, waitForOk, type CharterProcess } from './support/charter-process';
import { describeWithBrowser, launchBrowser, screenshotPath } from './support/browser';
import { freePortRange } from './support/ports';

let proc: CharterProcess;
let port: number;
let dataDir: string;
let keys: Array<{ tenant: string; apiKey: string }>;

beforeAll(async () => {
  port = await freePortRange(20);
  dataDir = tempDir('start');
  proc = spawnCharter(['dev'], { PORT: String(port), CHARTER_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  await waitForOk(`http://127.0.0.1:${port}/ready`, proc, 60_000);
  const deadline = Date.now() + 10_000;
  while (!proc.output().includes('Try it:') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  keys = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-keys.json'), 'utf8')).keys;
}, 90_000);

afterAll(async () => {
  await proc?.stop();
});

test('prints the endpoint, a GraphiQL link and every demo key', () => {
  const out = proc.output();
  expect(out).toContain(`GraphQL endpoint  http://localhost:${port}/graphql`);
  expect(out).toMatch(new RegExp(`GraphiQL +http://localhost:${port}/graphql#key=ck_acme_`));
  expect(keys.map((k) => k.tenant).sort()).toEqual(['acme', 'globex', 'initech']);
  for (const k of keys) expect(out).toContain(k.apiKey);
});

test('the embedded registry is closed: an admin token is printed and kept beside the demo keys, and nothing is served without it', async () => {
  const adminToken = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-keys.json'), 'utf8')).registry.adminToken as string;
  expect(adminToken).toMatch(/^crt_[A-Za-z0-9_-]{43}$/);
  expect(proc.output()).toContain(`Registry token    ${adminToken}`);
  const registry = `http://127.0.0.1:${port + 1}`;
  const anonymous = await fetch(`${registry}/api/variants`);
  expect(anonymous.status).toBe(401);
  expect(((await anonymous.json()) as any).error.code).toBe('UNAUTHENTICATED');
  const admin = await fetch(`${registry}/api/variants`, { headers: { authorization: `Bearer ${adminToken}` } });
  expect(admin.status).toBe(200);
  expect(((await admin.json()) as any).variants).toEqual(['prod']);
});

test('the demo keys file is readable only by its owner', () => {
  expect(fs.statSync(path.join(dataDir, 'demo-keys.json')).mode & 0o777).toBe(0o600);
});

test('answers the federated query with each demo tenant seeing its own part of the graph', async () => {
  const query = '{ products(first: 2) { name price inStock reviews { rating author { name email } } } }';
  const key = (t: string) => ({ headers: { 'x-api-key': keys.find((k) => k.tenant === t)!.apiKey } });
  const acme = await graphql(`http://127.0.0.1:${port}/graphql`, query, key('acme'));
  expect(acme.status).toBe(200);
  expect(acme.body.errors).toBeUndefined();
  expect(acme.body.data.products).toHaveLength(2);
  expect(acme.body.data.products[0].reviews[0].author.email).toMatch(/@/);

  const globex = await graphql(`http://127.0.0.1:${port}/graphql`, query, key('globex'));
  expect(globex.body.data.products[0].reviews[0].author).toEqual({ name: acme.body.data.products[0].reviews[0].author.name, email: null });
  expect(globex.body.errors.every((e: any) => e.extensions.code === 'FORBIDDEN' && e.path.at(-1) === 'email')).toBe(true);

  const initech = await graphql(`http://127.0.0.1:${port}/graphql`, '{ products(first: 1) { name price inStock } }', key('initech'));
  expect(initech.body).toEqual({ data: { products: [{ name: acme.body.data.products[0].name, price: acme.body.data.products[0].price, inStock: acme.body.data.products[0].inStock }] } });
});

describeWithBrowser('GraphiQL in a real browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  test('loads with no network beyond this machine and runs the default query', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    const cspViolations: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(`http://127.0.0.1:${port}/`)) external.push(r.url());
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    const acme = keys.find((k) => k.tenant === 'acme')!.apiKey;
    const response = await page.goto(`http://127.0.0.1:${port}/graphql#key=${acme}`);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    await page.waitForSelector('.graphiql-execute-button', { timeout: 20_000 });
    // The key came in the fragment (never sent to a server) and is neither kept in the address bar nor stored.
    expect(page.url()).toBe(`http://127.0.0.1:${port}/graphql`);
    expect(await page.evaluate((k) => [localStorage, sessionStorage].some((store) => Object.keys(store).some((name) => (store.getItem(name) ?? '').includes(k))), acme)).toBe(false);
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => document.querySelector('.result-window')?.textContent?.includes('"reviews"'), undefined, { timeout: 20_000 });
    const result = await page.textContent('.result-window');
    expect(result).toContain('"products"');
    expect(result).not.toContain('UNAUTHENTICATED');
    expect(external.filter((u) => !u.startsWith('data:'))).toEqual([]);
    expect(cspViolations).toEqual([]);
    await page.screenshot({ path: screenshotPath('graphiql.png') });
    expect(await page.evaluate((k) => [localStorage, sessionStorage].some((store) => Object.keys(store).some((name) => (store.getItem(name) ?? '').includes(k))), acme)).toBe(false);
  });
});

// After the federated query test: it spends initech's rate-limit bucket.
test('demo tenants have plans: initech\'s small one answers 429 with RateLimit headers within a dozen quick requests', async () => {
  expect(proc.output()).toMatch(/initech +ck_initech_\S+ +may only read the catalog; 30 requests\/min, burst 10/);
  const key = keys.find((k) => k.tenant === 'initech')!.apiKey;
  const statuses: number[] = [];
  let limited: Response | undefined;
  for (let i = 0; i < 15 && !limited; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query: '{ products(first: 1) { name } }' }) });
    statuses.push(res.status);
    if (res.status === 429) limited = res;
    else await res.arrayBuffer();
  }
  expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
  expect(limited).toBeDefined();
  expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(limited!.headers.get('ratelimit-policy')).toBe('"tenant";q=10;w=20');
  expect(limited!.headers.get('ratelimit')).toMatch(/^"tenant";r=0;t=\d+$/);
  expect(((await limited!.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');
  // Another tenant is not affected by initech's limit.
  const acme = await graphql(`http://127.0.0.1:${port}/graphql`, '{ products(first: 1) { name } }', { headers: { 'x-api-key': keys.find((k) => k.tenant === 'acme')!.apiKey } });
  expect(acme.status).toBe(200);
});

test('stops cleanly on SIGTERM', async () => {
  const code = await proc.stop('SIGTERM');
  expect(code).toBe(0);
});
