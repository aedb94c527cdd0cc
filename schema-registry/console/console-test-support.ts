/** Test helpers for the console: a registry with users, a signed-in browser-like client. */
import { FED, startTestRegistry, type TestRegistry } from '../test-support';
import { sha256Hex } from '../auth';
import { TenantRegistryClient } from '../client/tenant-client';
import type { ConsoleRole } from './records';

export const ADMIN_TOKEN = 'crt_console-test-admin-token';
export const READ_TOKEN = 'crt_console-test-read-token';
export const PASSWORD = 'correct horse battery';

export const USERS_SDL = `${FED}
"""A person with an account"""
type User @key(fields: "id") {
  id: ID!
  name: String!
  "Where we write to them (personal data)"
  email: String!
}
type Query {
  "Every user"
  users: [User!]!
}`;

export const BOOKS_SDL = `${FED}\n"""A book"""\ntype Book @key(fields: "id") {\n  id: ID!\n  title: String!\n}\ntype Query {\n  "All books"\n  books: [Book!]!\n}`;

export const TEST_USERS: Record<string, ConsoleRole[]> = {
  admin: [{ role: 'platform-admin' }],
  owner: [{ role: 'team-owner', team: 'team-identity' }],
  otherowner: [{ role: 'team-owner', team: 'team-books' }],
  gadmin: [{ role: 'tenant-admin', tenant: 'globex' }, { role: 'tenant-member', tenant: 'globex' }],
  gmember: [{ role: 'tenant-member', tenant: 'globex' }],
  imember: [{ role: 'tenant-member', tenant: 'initech' }],
};

/** A registry (with an admin token) holding users and books subgraphs, tenants globex and initech (no emails), and the test users. */
export async function startConsoleRegistry(): Promise<TestRegistry> {
  const reg = await startTestRegistry({ tokens: [{ id: 'admin', tokenSha256: sha256Hex(ADMIN_TOKEN), scopes: ['admin'] }, { id: 'reader', tokenSha256: sha256Hex(READ_TOKEN), scopes: ['read', 'publish'] }] }, ADMIN_TOKEN);
  for (const [name, sdl, owner] of [['users', USERS_SDL, 'team-identity'], ['books', BOOKS_SDL, 'team-books']] as const) {
    const published = await reg.client.publish('prod', { name, url: `http://${name}.test/graphql`, sdl, owner });
    if (published.status >= 300) throw new Error(`publish ${name}: ${JSON.stringify(published.body)}`);
  }
  const tenants = new TenantRegistryClient(reg.registry.url, ADMIN_TOKEN);
  for (const id of ['globex', 'initech']) {
    const put = await tenants.putTenant('prod', id, { policy: { fallback: 'allow', rules: { 'User.email': 'deny' } } });
    if (put.status >= 300) throw new Error(`tenant ${id}: ${JSON.stringify(put.body)}`);
  }
  for (const [username, roles] of Object.entries(TEST_USERS)) await reg.registry.console.putUser({ username, password: PASSWORD, roles });
  return reg;
}

export interface ConsoleCall {
  status: number;
  body: any;
  headers: Headers;
}

/** What a browser on the console's own origin does: cookie jar of one, CSRF header on writes. */
export class ConsoleBrowser {
  cookie: string | null = null;
  csrf: string | null = null;

  constructor(readonly baseUrl: string) {}

  async signIn(username: string, password = PASSWORD): Promise<ConsoleCall> {
    const res = await this.call('POST', '/console/api/session', { username, password });
    const set = res.headers.get('set-cookie');
    if (res.status === 200 && set) {
      this.cookie = set.split(';')[0]!;
      this.csrf = res.body.csrfToken;
    }
    return res;
  }

  async call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<ConsoleCall> {
    const headers: Record<string, string> = { origin: this.baseUrl, ...(this.cookie ? { cookie: this.cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers: { ...headers, ...extra }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
}
