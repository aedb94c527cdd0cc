/**
 * Every way a REST subgraph authenticates to its backend, against real loopback servers that check
 * the credentials: a static API key and bearer token from the environment, the caller's principal
 * signed as the gateway signs it, and OAuth2 client credentials with caching, refresh on expiry and
 * refresh after a 401. Secrets never appear in what a client sees.
 */
import type http from 'node:http';
import { execute, parse } from 'graphql';
import { listen, sendJson, type RunningServer } from '../../../core/http';
import { createPrincipalVerifier } from '../../../core/principal-signature';
import type { Principal } from '../../../core/principal';
import { buildRestSubgraph } from '../wrap/build';
import type { RestMapping } from '../wrap/mapping';

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Note @key(fields: "id") { id: ID! text: String! author: String }
  type Query { note(id: ID!): Note, notes: [Note!]! }
  type Mutation { addNote(text: String!): Note }
`;
const FIELDS: RestMapping['fields'] = {
  'Query.note': { entity: 'Note', keyArg: 'id' },
  'Query.notes': { list: '/notes' },
  'Mutation.addNote': { post: '/notes', body: { text: 'text' } },
};

/** A backend that accepts a request only when `authorize` says so, else 401. */
async function startGuardedBackend(authorize: (req: http.IncomingMessage, body: string) => string | null | Promise<string | null>): Promise<RunningServer & { seen: string[] }> {
  const seen: string[] = [];
  const server = await listen(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const who = await authorize(req, body);
    seen.push(who ?? 'refused');
    if (who === null) return sendJson(res, 401, { error: 'invalid credentials: secret-value-hint' });
    if (req.method === 'POST') return sendJson(res, 201, { id: 'n2', ...(JSON.parse(body) as object), author: who });
    if (req.url === '/notes') return sendJson(res, 200, [{ id: 'n1', text: 'hello', author: who }]);
    sendJson(res, 200, { id: 'n1', text: 'hello', author: who });
  }, { host: '127.0.0.1' });
  return Object.assign(server, { seen });
}

async function run(mapping: RestMapping, baseUrl: string, env: NodeJS.ProcessEnv, query: string, context: object = {}) {
  const { schema } = buildRestSubgraph({ name: 'notes', typeDefs: SDL, mapping, baseUrl, env });
  return (await execute({ schema, document: parse(query), contextValue: context })) as { data?: any; errors?: readonly any[] };
}

describe('static API key and bearer token from the environment', () => {
  let backend: Awaited<ReturnType<typeof startGuardedBackend>>;
  beforeAll(async () => {
    backend = await startGuardedBackend((req) => {
      if (req.headers['x-api-key'] === 'k-123') return 'api-key';
      if (req.headers.authorization === 'Bearer t-456') return 'bearer';
      return null;
    });
  });
  afterAll(() => backend.close());

  test('the key goes in X-Api-Key (or the header named) and the bearer token in Authorization', async () => {
    const apiKey = await run({ auth: { type: 'apiKey', env: 'NOTES_KEY' }, entities: { Note: { get: '/notes/{id}' } }, fields: FIELDS }, backend.url, { NOTES_KEY: 'k-123' }, '{ note(id: "n1") { author } }');
    expect(apiKey).toEqual({ data: { note: { author: 'api-key' } } });
    const bearer = await run({ auth: { type: 'bearer', env: 'NOTES_TOKEN' }, entities: { Note: { get: '/notes/{id}' } }, fields: FIELDS }, backend.url, { NOTES_TOKEN: 't-456' }, 'mutation { addNote(text: "hi") { text author } }');
    expect(bearer).toEqual({ data: { addNote: { text: 'hi', author: 'bearer' } } });
  });

  test('a wrong key: the backend answers 401, the client sees UPSTREAM_ERROR and no secret', async () => {
    const result = await run({ auth: { type: 'apiKey', env: 'NOTES_KEY' }, entities: { Note: { get: '/notes/{id}' } }, fields: FIELDS }, backend.url, { NOTES_KEY: 'wrong-key' }, '{ note(id: "n1") { author } }');
    expect(result.data).toEqual({ note: null });
    expect(result.errors![0].extensions).toEqual({ code: 'UPSTREAM_ERROR', subgraph: 'notes' });
    expect(JSON.stringify(result)).not.toMatch(/wrong-key|secret-value-hint|401/);
  });

  test('a missing environment variable fails the build naming the variable, not a value', () => {
    expect(() => buildRestSubgraph({ name: 'notes', typeDefs: SDL, mapping: { auth: { type: 'bearer', env: 'NOTES_TOKEN' }, fields: FIELDS, entities: { Note: { get: '/notes/{id}' } } }, baseUrl: backend.url, env: {} })).toThrow(
      'REST subgraph "notes": auth.bearer needs the environment variable NOTES_TOKEN, which is not set',
    );
  });

  test('a secret written into the mapping instead of an env name is refused', () => {
    expect(() => buildRestSubgraph({ name: 'notes', typeDefs: SDL, mapping: { auth: { type: 'bearer', env: 'sk-live-abc' } as never, fields: FIELDS, entities: { Note: { get: '/notes/{id}' } } }, baseUrl: backend.url, env: {} })).toThrow(
      /auth\.env: must be an environment variable name/,
    );
  });
});

describe("the caller's principal, signed", () => {
  const SECRET = 'shared-with-the-backend';
  const principal: Principal = { tenant: 'acme', subject: 'user-7', roles: ['reader'], scopes: ['notes:write'] };
  let backend: Awaited<ReturnType<typeof startGuardedBackend>>;
  beforeAll(async () => {
    const verify = createPrincipalVerifier({ secret: SECRET, audience: 'notes' });
    backend = await startGuardedBackend(async (req, body) => {
      const verdict = await verify(req, body);
      return verdict.ok ? `${verdict.principal.tenant}/${verdict.principal.subject}` : null;
    });
  });
  afterAll(() => backend.close());
  const mapping: RestMapping = { auth: { type: 'principal', secretEnv: 'NOTES_SECRET' }, entities: { Note: { get: '/notes/{id}' } }, fields: FIELDS };

  test('the backend verifies the signature over principal and body, for reads and writes', async () => {
    expect(await run(mapping, backend.url, { NOTES_SECRET: SECRET }, '{ notes { author } }', { principal })).toEqual({ data: { notes: [{ author: 'acme/user-7' }] } });
    expect(await run(mapping, backend.url, { NOTES_SECRET: SECRET }, 'mutation { addNote(text: "signed") { author } }', { principal })).toEqual({ data: { addNote: { author: 'acme/user-7' } } });
  });

  test('a subgraph with the wrong secret is refused by the backend', async () => {
    const result = await run(mapping, backend.url, { NOTES_SECRET: 'not-the-secret' }, '{ notes { author } }', { principal });
    expect(result.errors![0].extensions.code).toBe('UPSTREAM_ERROR');
  });

  test('without a verified caller, no call is made: UNAUTHENTICATED', async () => {
    const before = backend.seen.length;
    const result = await run(mapping, backend.url, { NOTES_SECRET: SECRET }, '{ notes { author } }', {});
    expect(result.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    expect(backend.seen.length).toBe(before);
  });
});

describe('OAuth2 client credentials', () => {
  let tokenServer: RunningServer;
  let backend: Awaited<ReturnType<typeof startGuardedBackend>>;
  let issued = 0;
  let lifetimeSeconds = 3600;
  const valid = new Map<string, number>(); // token -> expiry (ms)
  const mapping = (): RestMapping => ({
    auth: { type: 'oauth2', tokenUrl: `${tokenServer.url}/token`, clientIdEnv: 'NOTES_CLIENT_ID', clientSecretEnv: 'NOTES_CLIENT_SECRET', scope: 'notes.read', refreshSkewMs: 0 },
    entities: { Note: { get: '/notes/{id}' } },
    fields: FIELDS,
  });
  const env = { NOTES_CLIENT_ID: 'charter', NOTES_CLIENT_SECRET: 'cs-789' };

  beforeAll(async () => {
    tokenServer = await listen(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const basic = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
      if (basic !== 'charter:cs-789' || form.get('grant_type') !== 'client_credentials' || form.get('scope') !== 'notes.read') return sendJson(res, 401, { error: 'invalid_client' });
      issued += 1;
      const token = `tok-${issued}`;
      valid.set(token, Date.now() + lifetimeSeconds * 1000);
      sendJson(res, 200, { access_token: token, token_type: 'Bearer', expires_in: lifetimeSeconds });
    }, { host: '127.0.0.1' });
    backend = await startGuardedBackend((req) => {
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      const expiry = valid.get(token);
      return expiry !== undefined && expiry > Date.now() ? token : null;
    });
  });
  afterAll(async () => {
    await backend.close();
    await tokenServer.close();
  });
  beforeEach(() => {
    issued = 0;
    lifetimeSeconds = 3600;
    valid.clear();
  });

  test('one token serves many calls, including concurrent ones', async () => {
    const { schema } = buildRestSubgraph({ name: 'notes', typeDefs: SDL, mapping: mapping(), baseUrl: backend.url, env });
    const query = parse('{ a: note(id: "n1") { author } b: notes { id } }');
    const results = await Promise.all([1, 2, 3].map(() => execute({ schema, document: query, contextValue: {} })));
    for (const result of results) expect(result).toEqual({ data: { a: { author: 'tok-1' }, b: [{ id: 'n1' }] } });
    await execute({ schema, document: query, contextValue: {} });
    expect(issued).toBe(1);
  });

  test('an expired token is refreshed before the call', async () => {
    lifetimeSeconds = 1;
    const { schema } = buildRestSubgraph({ name: 'notes', typeDefs: SDL, mapping: mapping(), baseUrl: backend.url, env });
    const query = parse('{ note(id: "n1") { author } }');
    expect(await execute({ schema, document: query, contextValue: {} })).toEqual({ data: { note: { author: 'tok-1' } } });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await execute({ schema, document: query, contextValue: {} })).toEqual({ data: { note: { author: 'tok-2' } } });
    expect(issued).toBe(2);
  });

  test('a token the backend rejects (401) is replaced and the read tried once more', async () => {
    const { schema } = buildRestSubgraph({ name: 'notes', typeDefs: SDL, mapping: mapping(), baseUrl: backend.url, env });
    const query = parse('{ note(id: "n1") { author } }');
    await execute({ schema, document: query, contextValue: {} });
    valid.clear(); // revoked at the authorization server
    expect(await execute({ schema, document: query, contextValue: {} })).toEqual({ data: { note: { author: 'tok-2' } } });
  });

  test('a write with a revoked token is not resent; the next call has a fresh token', async () => {
    const { schema } = buildRestSubgraph({ name: 'notes', typeDefs: SDL, mapping: mapping(), baseUrl: backend.url, env });
    await execute({ schema, document: parse('{ note(id: "n1") { id } }'), contextValue: {} });
    valid.clear();
    const before = backend.seen.length;
    const failed = (await execute({ schema, document: parse('mutation { addNote(text: "x") { id } }'), contextValue: {} })) as any;
    expect(failed.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
    expect(backend.seen.length - before).toBe(1);
    expect(await execute({ schema, document: parse('mutation { addNote(text: "y") { author } }'), contextValue: {} })).toEqual({ data: { addNote: { author: 'tok-2' } } });
  });

  test('a token endpoint refusing the client is UPSTREAM_ERROR without the client secret', async () => {
    const { schema } = buildRestSubgraph({ name: 'notes', typeDefs: SDL, mapping: mapping(), baseUrl: backend.url, env: { ...env, NOTES_CLIENT_SECRET: 'wrong-secret' } });
    const result = await execute({ schema, document: parse('{ note(id: "n1") { id } }'), contextValue: {} });
    expect(result.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_ERROR', subgraph: 'notes' });
    expect(JSON.stringify(result)).not.toMatch(/wrong-secret|invalid_client|token/);
  });
});
