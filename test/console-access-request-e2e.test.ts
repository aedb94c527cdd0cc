/**
 * The console's promise, end to end in a real headless Chromium against `charter dev` as a real
 * process: a member of tenant globex signs in (keyboard only), finds `User.email` in the catalog,
 * requests it; the platform admin approves it in the requests inbox; within 5 s globex's API key
 * gets e-mail addresses through the gateway, and initech's still does not. Screenshots of each
 * page go to .screenshots/ (gitignored) for a reviewer.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeWithBrowser, launchBrowser, screenshotPath } from './support/browser';
import { graphql, spawnCharter, tempDir, waitForOk, type CharterProcess } from './support/charter-process';
import { freePortRange } from './support/ports';

const EMAIL_QUERY = '{ products(first: 1) { name reviews { author { name email } } } }';

describeWithBrowser('the console, from npm start to an approved access request', () => {
  let proc: CharterProcess;
  let port = 0;
  let dataDir = '';
  let browser: Browser;
  let demo: { keys: Array<{ tenant: string; apiKey: string }>; console: { users: Array<{ username: string; password: string }> } };
  const cspViolations: string[] = [];

  beforeAll(async () => {
    port = await freePortRange(20);
    dataDir = tempDir('console');
    proc = spawnCharter(['dev'], { PORT: String(port), CHARTER_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    await waitForOk(`http://127.0.0.1:${port}/ready`, proc, 60_000);
    const deadline = Date.now() + 10_000;
    while (!proc.output().includes('Try it:') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    demo = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-keys.json'), 'utf8'));
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await proc?.stop();
  });

  const consoleUrl = (): string => `http://127.0.0.1:${port + 1}/console`;
  const password = (username: string): string => demo.console.users.find((u) => u.username === username)!.password;
  const key = (tenant: string): Record<string, string> => ({ 'x-api-key': demo.keys.find((k) => k.tenant === tenant)!.apiKey });
  const emailsOf = async (tenant: string): Promise<{ email: unknown; codes: string[] }> => {
    const res = await graphql(`http://127.0.0.1:${port}/graphql`, EMAIL_QUERY, { headers: key(tenant) });
    return { email: res.body.data?.products?.[0]?.reviews?.[0]?.author?.email ?? null, codes: (res.body.errors ?? []).map((e: any) => e.extensions?.code) };
  };
  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return page;
  };
  const signIn = async (page: Page, username: string): Promise<void> => {
    await page.goto(`${consoleUrl()}/catalog`);
    await page.waitForSelector('input[name=username]');
    expect(new URL(page.url()).pathname).toBe('/console/signin');
    // Keyboard only: the username field has focus, Tab moves to the password, Enter submits.
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password(username));
    await page.keyboard.press('Enter');
    await page.waitForSelector('h1:has-text("Catalog")');
  };

  test('npm start prints the console URL and a login per demo user, kept in demo-keys.json (0600)', () => {
    const out = proc.output();
    expect(out).toContain(`Console           http://localhost:${port + 1}/console`);
    expect(demo.console.users.map((u) => u.username).sort()).toEqual(['acme-member', 'admin', 'globex-member', 'initech-member']);
    for (const u of demo.console.users) expect(out).toMatch(new RegExp(`${u.username} +${u.password.replace(/[-_]/g, '\\$&')} `));
    expect(fs.statSync(path.join(dataDir, 'demo-keys.json')).mode & 0o777).toBe(0o600);
  });

  test('a member requests User.email, the admin approves, and only that tenant\'s key gets e-mails within 5 s', async () => {
    const before = await emailsOf('globex');
    expect(before.email).toBeNull();
    expect(new Set(before.codes)).toEqual(new Set(['FORBIDDEN']));

    // The member: sign in, search the catalog, open the field, request access.
    const member = await newPage();
    const response = await member.goto(`${consoleUrl()}/`);
    expect(response!.headers()['content-security-policy']).toMatch(/script-src 'self'.*frame-ancestors 'none'/);
    expect(response!.headers()['x-frame-options']).toBe('DENY');
    expect(response!.headers()['x-content-type-options']).toBe('nosniff');
    await signIn(member, 'globex-member');
    await member.screenshot({ path: screenshotPath('console-catalog.png'), fullPage: false });
    await member.fill('#catalog-search', 'email');
    await member.waitForSelector('table.fields a:has-text("email")');
    const emailRow = member.locator('tr', { has: member.locator('a', { hasText: /^email$/ }) }).first();
    await expect(emailRow.locator('.pill.locked').textContent()).resolves.toBe('request access');
    await emailRow.locator('a', { hasText: /^email$/ }).click();
    await member.waitForSelector('h1:has-text("User.email")');
    await member.fill('textarea[name=reason]', 'Support replies to customers by e-mail');
    await member.screenshot({ path: screenshotPath('console-field-request.png') });
    await member.click('button:has-text("Request access")');
    await member.waitForSelector('.notice:has-text("Access requested")');

    // Not yet: a request is not access.
    expect((await emailsOf('globex')).email).toBeNull();

    // The platform admin: the inbox shows the request; approve it.
    const admin = await newPage();
    await signIn(admin, 'admin');
    await admin.click('nav >> text=Access requests');
    const card = admin.locator('li.card', { hasText: 'globex' }).first();
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain('Support replies to customers by e-mail');
    await admin.screenshot({ path: screenshotPath('console-requests.png') });
    await card.locator('input').fill('ok for support');
    await card.locator('button:has-text("Approve")').click();
    const approvedAt = Date.now();
    // Approved, it leaves the pending list.
    await admin.locator('li.card', { hasText: 'Support replies to customers by e-mail' }).waitFor({ state: 'detached', timeout: 5000 });
    await admin.click('role=tab[name="approved"]');
    await admin.screenshot({ path: screenshotPath('console-approved.png') });
    await admin.locator('li.card', { hasText: 'ok for support' }).waitFor();

    // The gateway follows the new policy version: globex gets e-mails within 5 s; initech does not.
    let seen: { email: unknown; codes: string[] } = { email: null, codes: [] };
    while (Date.now() - approvedAt < 5000) {
      seen = await emailsOf('globex');
      if (typeof seen.email === 'string') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen.email).toMatch(/@/);
    expect(seen.codes).toEqual([]);
    const initech = await emailsOf('initech');
    expect(initech.email).toBeNull();
    expect(initech.codes).toContain('FORBIDDEN');

    // The member's catalog now says "allowed".
    await member.goto(`${consoleUrl()}/fields/User.email`);
    await member.waitForSelector('.notice.ok:has-text("Your tenant may query this field")');

    // The audit log has every step, with who.
    await admin.click('nav >> text=Audit log');
    await admin.waitForSelector('table.audit tbody tr');
    const audit = await admin.textContent('table.audit');
    for (const action of ['login', 'access-request.create', 'access-request.approve', 'policy.version']) expect(audit).toContain(action);
    expect(audit).toContain('user:globex-member');
    expect(audit).toContain('user:admin');
    await admin.screenshot({ path: screenshotPath('console-audit.png') });

    // The schema history: every version with its classified changes.
    await admin.click('nav >> text=Schema history');
    await admin.waitForSelector('li.card:has-text("Version 1")');
    expect(await admin.textContent('ol.requests')).toMatch(/Version \d+ · publish of/);
    await admin.screenshot({ path: screenshotPath('console-history.png') });
    expect(cspViolations).toEqual([]);
  }, 60_000);
});
