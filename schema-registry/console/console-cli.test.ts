/** `charter access …`, `charter audit` and `charter tenant …` as a real process against a registry with the console, with exit codes. */
import { runCharter, tempDir } from '../../test/support/charter-process';
import type { TestRegistry } from '../test-support';
import { ADMIN_TOKEN, ConsoleBrowser, READ_TOKEN, startConsoleRegistry } from './console-test-support';

// Each CLI run is a fresh Node process loading the whole CLI (seconds each on this machine).
jest.setTimeout(120_000);

let reg: TestRegistry;
let cwd = '';
beforeAll(async () => {
  reg = await startConsoleRegistry();
  cwd = tempDir('console-cli');
});
afterAll(() => reg?.close());

const charter = (args: string[], token = ADMIN_TOKEN) => runCharter([...args, '--registry', reg.registry.url], { CHARTER_REGISTRY_TOKEN: token, CHARTER_DATA_DIR: cwd }, cwd);

test('request, list, approve and revoke from the CLI; the audit log names the token', async () => {
  const requested = await charter(['access', 'request', '--tenant', 'globex', '--field', 'User.email', '--reason', 'nightly export', '--json']);
  expect(requested.stderr).toBe('');
  expect(requested.code).toBe(0);
  const id = JSON.parse(requested.stdout).request.id as string;

  const listed = await charter(['access', 'list', '--status', 'pending']);
  expect(listed.stdout).toMatch(new RegExp(`^${id}  pending  globex +User.email  by token:admin$`, 'm'));

  const approved = await charter(['access', 'approve', id, '--comment', 'fine']);
  expect(approved.code).toBe(0);
  expect(approved.stdout).toMatch(new RegExp(`^Done: ${id}  approved .*decided by token:admin; policy version \\d+`));
  const again = await charter(['access', 'approve', id]);
  expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('Refused (CONFLICT)')]);
  expect((await charter(['access', 'revoke', id])).code).toBe(0);

  const audit = await charter(['audit', '--jsonl', '--limit', '20']);
  const entries = audit.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(entries.filter((e) => e.target === `access-request:${id}`).map((e) => [e.action, e.actor])).toEqual([
    ['access-request.revoke', 'token:admin'],
    ['access-request.approve', 'token:admin'],
    ['access-request.create', 'token:admin'],
  ]);
  expect((await charter(['audit', '--action', 'access-request.approve'])).stdout).toContain(`access-request:${id}`);
});

test('tenant list/show, and add-user prints a password that signs in as a member of that tenant only', async () => {
  const list = await charter(['tenant', 'list']);
  expect(list.stdout).toMatch(/^globex +version \d+/m);
  expect(JSON.parse((await charter(['tenant', 'show', 'globex'])).stdout).policy.rules['User.email']).toBe('deny');
  const added = await charter(['tenant', 'add-user', 'initech', 'carol', '--json']);
  expect(added.code).toBe(0);
  const { password, user } = JSON.parse(added.stdout);
  expect(user.roles).toEqual([{ role: 'tenant-member', tenant: 'initech' }]);
  const browser = new ConsoleBrowser(reg.registry.url);
  expect((await browser.signIn('carol', password)).status).toBe(200);
  expect((await browser.call('GET', '/console/api/variants/prod/catalog?tenant=globex')).status).toBe(403);
});

test('a token without the admin scope is refused with exit 1; no registry is exit 2', async () => {
  const refused = await charter(['access', 'list'], READ_TOKEN);
  expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('Refused (FORBIDDEN)')]);
  const down = await runCharter(['audit', '--registry', 'http://127.0.0.1:9'], { CHARTER_REGISTRY_TOKEN: ADMIN_TOKEN, CHARTER_DATA_DIR: cwd }, cwd);
  expect(down.code).toBe(2);
});
