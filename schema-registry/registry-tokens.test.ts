/**
 * Registry tokens: no or unknown token → 401, a token without the right → 403, each with a JSON
 * error naming the reason; publishers are scoped to their subgraphs, readers (gateways) only read
 * and report usage. The GraphQL API applies the same rules. With no tokens the registry does not start
 * (unless --insecure-dev on loopback).
 */
import { RegistryClient } from './client';
import { booksSdl, REVIEWS_SDL, startTestRegistry, type TestRegistry } from './test-support';
import { parseRegistryTokens, sha256Hex } from './auth';

let t: TestRegistry;
const ADMIN = 'admin-secret';
const BOOKS_TEAM = 'books-team-secret';
const GATEWAY = 'gateway-secret';
const as = (token?: string): RegistryClient => new RegistryClient(t.registry.url, token);

beforeAll(async () => {
  const tokens = parseRegistryTokens(
    JSON.stringify([
      { tokenSha256: sha256Hex(ADMIN), role: 'admin' },
      { tokenSha256: sha256Hex(BOOKS_TEAM), role: 'publisher', subgraphs: ['books'], name: 'books team' },
      { tokenSha256: sha256Hex(GATEWAY), role: 'reader' },
    ]),
  );
  t = await startTestRegistry({ tokens });
  expect((await as(ADMIN).publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl() })).status).toBe(201);
});
afterAll(() => t.close());

test('no token and unknown tokens get 401 naming the reason', async () => {
  expect(await as().history('prod')).toEqual({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'missing registry token: send "Authorization: Bearer <token>"' } } });
  expect((await as('guess').publish('prod', { name: 'books', url: 'http://x.test/graphql', sdl: booksSdl() })).body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'unknown registry token' });
  const basic = await fetch(`${t.registry.url}/api/variants`, { headers: { authorization: 'Basic abc' } });
  expect(basic.status).toBe(401);
  expect(((await basic.json()) as any).error.message).toMatch(/malformed Authorization header/);
  // Health stays open for load balancers.
  expect((await fetch(`${t.registry.url}/health`)).status).toBe(200);
});

test('a publisher may publish only its own subgraphs (403 otherwise)', async () => {
  expect((await as(BOOKS_TEAM).publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl('year: Int\n  isbn: String') })).status).toBe(201);
  const other = await as(BOOKS_TEAM).publish('prod', { name: 'reviews', url: 'http://reviews.test/graphql', sdl: REVIEWS_SDL });
  expect(other).toEqual({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'this token may only change subgraphs "books", not "reviews"' } } });
  expect((await as(BOOKS_TEAM).setLifecycle('prod', 'reviews', 'deprecated')).status).toBe(403);
  expect((await as(BOOKS_TEAM).rollback('prod', 1)).body.error).toEqual({ code: 'FORBIDDEN', message: 'this action needs the "admin" scope; this credential has scopes "publish", "read"' });
});

test('a reader reads, checks and reports usage, but cannot change anything', async () => {
  const reader = as(GATEWAY);
  expect((await reader.fetchSupergraph('prod'))!.supergraphSdl).toMatch(/type Book/);
  expect((await reader.reportUsage([{ coordinate: 'Book.title', count: 1 }])).status).toBe(202);
  expect((await reader.check('prod', { name: 'books', sdl: booksSdl() })).status).toBe(200);
  const publish = await reader.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl('pages: Int') });
  expect(publish).toEqual({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'this action needs the "publish" scope; this credential has scopes "read", "report-usage"' } } });
  expect((await reader.promote('dev', 'prod')).status).toBe(403);
});

test('an admin may roll back and promote', async () => {
  expect((await as(ADMIN).rollback('prod', 1)).status).toBe(201);
});

test('the GraphQL API: 401 without a token, 403 FORBIDDEN for a mutation beyond the token, data otherwise', async () => {
  const gql = async (token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${t.registry.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: await res.json() };
  };
  expect((await gql(undefined, '{ variants }')).status).toBe(401);
  expect(await gql(GATEWAY, '{ variants }')).toEqual({ status: 200, body: { data: { variants: ['prod'] } } });
  const denied = await gql(GATEWAY, 'mutation { rollback(variant: "prod", toVersion: 1) { status } }');
  expect(denied.status).toBe(403);
  expect(denied.body.errors[0]).toMatchObject({ message: 'this action needs the "admin" scope; this credential has scopes "read", "report-usage"', extensions: { code: 'FORBIDDEN' } });
});

test('a registry with no tokens refuses to start, unless --insecure-dev on loopback (which then serves tokenless calls)', async () => {
  await expect(startTestRegistry({ insecureDev: false })).rejects.toThrow(/the registry has no tokens: set CHARTER_REGISTRY_TOKENS/);
  await expect(startTestRegistry({ insecureDev: true, host: '0.0.0.0' })).rejects.toThrow('--insecure-dev is allowed only on a loopback address (127.0.0.1, ::1, localhost), not "0.0.0.0"');
  const open = await startTestRegistry({ insecureDev: true });
  try {
    expect((await new RegistryClient(open.registry.url).publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl() })).status).toBe(201);
  } finally {
    await open.close();
  }
});

test('legacy "role" entries map to scopes; "scopes" entries are taken as given', () => {
  const [admin, reader, ci] = parseRegistryTokens(
    JSON.stringify([
      { tokenSha256: sha256Hex('a'), role: 'admin' },
      { tokenSha256: sha256Hex('b'), role: 'reader', name: 'gw' },
      { id: 'ci', tokenSha256: sha256Hex('c'), scopes: ['publish'], subgraphs: ['books'] },
    ]),
  );
  expect(admin).toEqual({ id: 'token-1', tokenSha256: sha256Hex('a'), scopes: ['admin'] });
  expect(reader).toEqual({ id: 'gw', tokenSha256: sha256Hex('b'), scopes: ['read', 'report-usage'] });
  expect(ci).toEqual({ id: 'ci', tokenSha256: sha256Hex('c'), scopes: ['publish'], subgraphs: ['books'] });
  expect(() => parseRegistryTokens(`[{"tokenSha256":"${sha256Hex('x')}"}]`)).toThrow('CHARTER_REGISTRY_TOKENS: 0: give exactly one of "scopes" or "role"');
  expect(() => parseRegistryTokens(`[{"tokenSha256":"${sha256Hex('x')}","scopes":["root"]}]`)).toThrow(/0\.scopes\.0: Invalid enum value/);
});

test('CHARTER_REGISTRY_TOKENS errors name the entry and key', () => {
  expect(() => parseRegistryTokens('[{"tokenSha256":"abc","role":"admin"}]')).toThrow('CHARTER_REGISTRY_TOKENS: 0.tokenSha256: must be 64 lower-case hex characters');
  expect(() => parseRegistryTokens(`[{"tokenSha256":"${sha256Hex('x')}","role":"owner"}]`)).toThrow(/0\.role: Invalid enum value/);
  expect(() => parseRegistryTokens('{')).toThrow(/not valid JSON/);
});
