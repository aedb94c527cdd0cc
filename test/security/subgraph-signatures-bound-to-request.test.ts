/**
 * Subgraph signatures are bound to the request they travel with. Attack reproduced from the
 * hardening issue: the signature the gateway makes for `GET /v1/models` (empty body) was accepted
 * on `GET /graphql?query={ users { email } }` of any subgraph, and each replica accepted a nonce
 * once. Now the MAC covers method, path and query, the target subgraph and the body; nonces are
 * shared through Redis; keys rotate through a ring without refusing a request at any step.
 */
import type http from 'node:http';
import { parse } from 'graphql';
import { listen, sendJson, type RunningServer } from '../../core/http';
import { createMemoryNonceStore, createPrincipalVerifier, createRedisNonceStore, encodePrincipal, PRINCIPAL_HEADER, rotateSecretRing, secretRing, SIGNATURE_HEADER, signRequest } from '../../core/principal-signature';
import { proxyToAiSubgraph } from '../../gateway/ai-proxy';
import { createSubgraphCalls } from '../../gateway/subgraph-calls';
import { describeWithRedis, startRedis, type TestRedis } from '../support/redis';
import { startShopSubgraph, type ShopSubgraph } from '../support/shop-subgraph';
import Redis from 'ioredis';

const SECRET = 'signing-secret-for-this-test';
const principal = { tenant: 'initech', subject: 'key:initech', roles: [], scopes: [] };

/** A stand-in subgraph that records what the gateway sent it, and answers like a GraphQL server. */
async function startRecorder(): Promise<RunningServer & { seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> }> {
  const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = await listen(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    sendJson(res, 200, req.url === '/v1/models' ? { object: 'list', data: [] } : { data: { whoami: 'recorded' } });
  }, { host: '127.0.0.1' });
  return Object.assign(server, { seen });
}

const signatureHeaders = (headers: http.IncomingHttpHeaders) => ({ [PRINCIPAL_HEADER]: String(headers[PRINCIPAL_HEADER]), [SIGNATURE_HEADER]: String(headers[SIGNATURE_HEADER]) });

let shop: ShopSubgraph;
let recorder: Awaited<ReturnType<typeof startRecorder>>;
beforeAll(async () => {
  shop = await startShopSubgraph(SECRET);
  recorder = await startRecorder();
});
afterAll(async () => {
  await shop?.close();
  await recorder?.close();
});

/** What the gateway's /v1 proxy really sends for `GET /v1/models`. */
async function captureModelsListSignature(): Promise<http.IncomingHttpHeaders> {
  const front = await listen(async (req, res) => {
    await proxyToAiSubgraph(req, res, { principal, aiGraphqlUrl: `${recorder.url}/graphql`, secret: SECRET, maxBodyBytes: 1024, path: '/v1/models' });
  }, { host: '127.0.0.1' });
  try {
    expect((await fetch(`${front.url}/v1/models`)).status).toBe(200);
  } finally {
    await front.close();
  }
  const call = recorder.seen.at(-1)!;
  expect(call.url).toBe('/v1/models');
  return call.headers;
}

/** What the gateway's subgraph calls really send for one query to the subgraph named `shop`. */
async function captureSubgraphCall(): Promise<{ headers: http.IncomingHttpHeaders; body: string }> {
  const calls = createSubgraphCalls({ secret: SECRET, subgraphs: { shop: { urls: [`${recorder.url}/graphql`] } } });
  try {
    const source = calls.buildService({ name: 'shop', url: `${recorder.url}/graphql` });
    const query = '{ whoami }';
    await source.process({ kind: 0, request: { query, http: { method: 'POST', url: `${recorder.url}/graphql`, headers: new Headers() as never } }, context: { principal }, document: parse(query) } as never);
  } finally {
    await calls.close();
  }
  const call = recorder.seen.at(-1)!;
  return { headers: call.headers, body: call.body };
}

test("the signature of GET /v1/models does not authorise GET /graphql?query={ users { email } } on a subgraph", async () => {
  const captured = await captureModelsListSignature();
  const res = await fetch(`${shop.url}/graphql?query=${encodeURIComponent('{ users { email } }')}`, { headers: signatureHeaders(captured) });
  expect(res.status).toBe(401);
  const body = await res.json();
  expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect(JSON.stringify(body)).not.toMatch(/@/);
});

test('a signed subgraph call is refused with another query string, on another subgraph, or replayed', async () => {
  const captured = await captureSubgraphCall();
  const send = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signatureHeaders(captured.headers) }, body: captured.body });
  // Same body, same subgraph, a query string the signature does not cover.
  const withQuery = await send(`${shop.url}/graphql?query=${encodeURIComponent('{ users { email } }')}`);
  expect(withQuery.status).toBe(401);
  expect((await withQuery.json()).errors[0].message).toMatch(/bad gateway signature/);
  // The signature was made for "shop": a verifier of another subgraph refuses it.
  const other = createPrincipalVerifier({ secret: SECRET, audience: 'reviews' });
  const verdict = await other({ method: 'POST', url: '/graphql', headers: captured.headers }, captured.body);
  expect(verdict).toEqual({ ok: false, reason: 'bad gateway signature' });
  // The real target accepts it once, then refuses the replay.
  const first = await send(`${shop.url}/graphql`);
  expect(first.status).toBe(200);
  expect((await first.json()).data.whoami).toBe('initech/key:initech');
  const replay = await send(`${shop.url}/graphql`);
  expect(replay.status).toBe(401);
  expect((await replay.json()).errors[0].message).toMatch(/replayed/);
});

test('a different method, path or body under the same signature is refused', async () => {
  const verify = createPrincipalVerifier({ secret: SECRET, audience: 'shop' });
  const header = encodePrincipal(principal);
  const headersFor = (request: { method: string; pathAndQuery: string; body: string }) => ({ [PRINCIPAL_HEADER]: header, [SIGNATURE_HEADER]: signRequest(SECRET, header, { ...request, audience: 'shop' }) });
  const signed = headersFor({ method: 'POST', pathAndQuery: '/graphql', body: '{"query":"{ whoami }"}' });
  expect(await verify({ method: 'GET', url: '/graphql', headers: signed }, '{"query":"{ whoami }"}')).toMatchObject({ ok: false, reason: 'bad gateway signature' });
  expect(await verify({ method: 'POST', url: '/admin', headers: signed }, '{"query":"{ whoami }"}')).toMatchObject({ ok: false, reason: 'bad gateway signature' });
  expect(await verify({ method: 'POST', url: '/graphql', headers: signed }, '{"query":"{ users { email } }"}')).toMatchObject({ ok: false, reason: 'bad gateway signature' });
  expect(await verify({ method: 'POST', url: '/graphql', headers: signed }, '{"query":"{ whoami }"}')).toMatchObject({ ok: true });
});

test('the format is versioned: a signature of another version or an unknown key is refused', async () => {
  const verify = createPrincipalVerifier({ secret: SECRET, audience: 'shop' });
  const header = encodePrincipal(principal);
  const good = signRequest(SECRET, header, { method: 'POST', audience: 'shop', pathAndQuery: '/graphql', body: '' });
  expect(await verify({ method: 'POST', url: '/graphql', headers: { [PRINCIPAL_HEADER]: header, [SIGNATURE_HEADER]: good.replace('v=2', 'v=1') } }, '')).toEqual({ ok: false, reason: 'unsupported gateway signature version' });
  const oldFormat = `t=${Date.now()},n=abc,v1=${'0'.repeat(64)}`;
  expect(await verify({ method: 'POST', url: '/graphql', headers: { [PRINCIPAL_HEADER]: header, [SIGNATURE_HEADER]: oldFormat } }, '')).toEqual({ ok: false, reason: 'unsupported gateway signature version' });
  const foreign = signRequest('some-other-secret', header, { method: 'POST', audience: 'shop', pathAndQuery: '/graphql', body: '' });
  expect(await verify({ method: 'POST', url: '/graphql', headers: { [PRINCIPAL_HEADER]: header, [SIGNATURE_HEADER]: foreign } }, '')).toEqual({ ok: false, reason: 'unknown gateway signing key' });
});

test('key rotation: at every step of a rolling rotation the calls in flight are accepted, and the retired key is refused after', async () => {
  const header = encodePrincipal(principal);
  const request = { method: 'POST', audience: 'shop', pathAndQuery: '/graphql', body: '{}' };
  const accepts = async (signerRing: string, verifierRing: string) =>
    (await createPrincipalVerifier({ secret: verifierRing, audience: 'shop' })({ method: 'POST', url: '/graphql', headers: { [PRINCIPAL_HEADER]: header, [SIGNATURE_HEADER]: signRequest(signerRing, header, request) } }, '{}')).ok;
  // Step 1: subgraphs learn the new key (old,new) while gateways still sign with the old one.
  expect(await accepts('old', 'old,new')).toBe(true);
  expect(await accepts('old', 'old')).toBe(true);
  // Step 2: gateways sign with the new key (new,old); every subgraph already accepts it.
  expect(await accepts('new,old', 'old,new')).toBe(true);
  // A gateway not yet moved still signs with old, which every subgraph still accepts.
  expect(await accepts('old', 'old,new')).toBe(true);
  // Step 3: the old key is retired everywhere.
  expect(await accepts('new', 'new')).toBe(true);
  expect(await accepts('old', 'new')).toBe(false);
});

test('a verifier with the in-process nonce store refuses a replay within the window', async () => {
  const store = createMemoryNonceStore();
  expect(await store.claim('k:n1', 1000)).toBe(true);
  expect(await store.claim('k:n1', 1000)).toBe(false);
  expect(await store.claim('k:n2', 1000)).toBe(true);
});

describeWithRedis('nonces shared through Redis', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.stop();
  });
  const client = (url: string) => {
    const c = new Redis(url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };

  test('a nonce accepted by one replica is refused by another', async () => {
    const [a, b] = [client(redis.url), client(redis.url)];
    await Promise.all([a.connect(), b.connect()]);
    const replicaA = createPrincipalVerifier({ secret: SECRET, audience: 'shop', nonces: createRedisNonceStore(a) });
    const replicaB = createPrincipalVerifier({ secret: SECRET, audience: 'shop', nonces: createRedisNonceStore(b) });
    const header = encodePrincipal(principal);
    const headers = { [PRINCIPAL_HEADER]: header, [SIGNATURE_HEADER]: signRequest(SECRET, header, { method: 'POST', audience: 'shop', pathAndQuery: '/graphql', body: '{}' }) };
    expect(await replicaA({ method: 'POST', url: '/graphql', headers }, '{}')).toMatchObject({ ok: true });
    expect(await replicaB({ method: 'POST', url: '/graphql', headers }, '{}')).toEqual({ ok: false, reason: 'replayed gateway signature' });
  });

  test('when the shared store is unreachable, calls are refused (fail closed), not let through unchecked', async () => {
    const down = client('redis://127.0.0.1:1');
    const verify = createPrincipalVerifier({ secret: SECRET, audience: 'shop', nonces: createRedisNonceStore(down) });
    const header = encodePrincipal(principal);
    const headers = { [PRINCIPAL_HEADER]: header, [SIGNATURE_HEADER]: signRequest(SECRET, header, { method: 'POST', audience: 'shop', pathAndQuery: '/graphql', body: '{}' }) };
    expect(await verify({ method: 'POST', url: '/graphql', headers }, '{}')).toEqual({ ok: false, reason: 'replay check unavailable' });
  });
});

test('charter secrets rotate-subgraph walks the ring through stage, promote and retire, refusing steps out of order', () => {
  let ring = 'old';
  ring = rotateSecretRing(ring, 'stage', () => 'new');
  expect(ring).toBe('old,+new');
  expect(() => rotateSecretRing(ring, 'retire')).toThrow(/not promoted yet/);
  expect(() => rotateSecretRing(ring, 'stage')).toThrow(/already under way/);
  // Staged: verifiers accept both, the signer still signs with the old key.
  expect(secretRing(ring).current.id).toBe(secretRing('old').current.id);
  expect([...secretRing(ring).accepted.keys()]).toEqual([secretRing('old').current.id, secretRing('new').current.id]);
  ring = rotateSecretRing(ring, 'promote');
  expect(ring).toBe('new,old');
  expect(() => rotateSecretRing(ring, 'promote')).toThrow(/nothing staged/);
  expect(rotateSecretRing(ring, 'retire')).toBe('new');
});
