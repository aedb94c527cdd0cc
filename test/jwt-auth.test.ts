/**
 * JWT bearer tokens at the gateway: HS256 and RS256/ES256 through a JWKS URL served over real
 * HTTP. Expired, forged, wrong-audience, wrong-issuer and unknown-tenant tokens all get the same 401.
 */
import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createLogger } from '../core/logger';
import { listen, sendJson, type RunningServer } from '../core/http';
import type { TenantConfig } from '../cli/config';
import { createJwtVerifier } from '../gateway/auth/jwt';
import { startGateway, type RunningGateway } from '../gateway/server';
import { fileSupergraphSource } from '../gateway/supergraph/file-source';
import { TenantDirectory } from '../gateway/tenants/tenant-directory';
import { composeSubgraphs } from '../governance/check';
import { graphql, tempDir } from './support/charter-process';
import { SHOP_SDL, startShopSubgraph, type ShopSubgraph } from './support/shop-subgraph';

const logger = createLogger('test', 'silent');
const SECRET = 'jwt-shop';
const HS_SECRET = 'a-long-enough-hs256-secret-for-tests-0123456789';
const tenants: TenantConfig[] = [
  { id: 'acme', roles: [], scopes: [], plan: {}, apiKeys: [], policy: { fallback: 'allow', rules: { 'User.email': { scope: 'pii:read' } } } },
];

let shop: ShopSubgraph;
let jwks: RunningServer;
let supergraphFile: string;
const gateways: RunningGateway[] = [];
let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
let ec: Awaited<ReturnType<typeof generateKeyPair>>;

async function gatewayWith(verifier: ReturnType<typeof createJwtVerifier>): Promise<string> {
  const gw = await startGateway({ source: fileSupergraphSource(supergraphFile), jwt: verifier, tenants: new TenantDirectory(tenants), subgraphSecret: SECRET, logger });
  await gw.ready;
  gateways.push(gw);
  return `${gw.url}/graphql`;
}

function token(claims: JWTPayload, alg: string, key: Parameters<SignJWT['sign']>[0], options: { kid?: string; expiresIn?: string | number } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuedAt()
    .setIssuer((claims.iss as string) ?? 'https://id.example')
    .setAudience((claims.aud as string) ?? 'charter')
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(key);
}

const base = { sub: 'user-7', tenant: 'acme', iss: 'https://id.example', aud: 'charter' };
const WHO = '{ whoami users { email } }';

beforeAll(async () => {
  shop = await startShopSubgraph(SECRET);
  const composed = composeSubgraphs([{ name: 'shop', url: `${shop.url}/graphql`, sdl: SHOP_SDL }]);
  if (!composed.ok) throw new Error('compose');
  supergraphFile = path.join(tempDir('jwt'), 'supergraph.graphql');
  fs.writeFileSync(supergraphFile, composed.supergraphSdl);
  rsa = await generateKeyPair('RS256');
  ec = await generateKeyPair('ES256');
  const keys = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  jwks = await listen((_req, res) => sendJson(res, 200, { keys }));
});

afterAll(async () => {
  for (const g of gateways) await g.close();
  await jwks?.close();
  await shop?.close();
});

describe('HS256', () => {
  let endpoint: string;
  const hsKey = new TextEncoder().encode(HS_SECRET);
  beforeAll(async () => {
    endpoint = await gatewayWith(createJwtVerifier({ issuer: 'https://id.example', audience: 'charter', hs256SecretEnv: 'TEST_HS', claims: { tenant: 'tenant', roles: 'roles', scopes: 'scope' }, clockToleranceSec: 0 }, (t) => t === 'acme', { TEST_HS: HS_SECRET }));
  });

  test('a valid token maps its claims to the principal; scopes gate fields', async () => {
    const withScope = await graphql(endpoint, WHO, { headers: { authorization: `Bearer ${await token({ ...base, scope: 'pii:read orders' }, 'HS256', hsKey)}` } });
    expect(withScope.body).toEqual({ data: { whoami: 'acme/user-7', users: [{ email: 'ada@example.com' }, { email: 'alan@example.com' }] } });
    const without = await graphql(endpoint, WHO, { headers: { authorization: `Bearer ${await token(base, 'HS256', hsKey)}` } });
    expect(without.body.data).toEqual({ whoami: 'acme/user-7', users: [{ email: null }, { email: null }] });
    expect(without.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  test.each([
    ['expired', async () => token(base, 'HS256', hsKey, { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
    ['forged (wrong secret)', async () => token(base, 'HS256', new TextEncoder().encode('another-secret-another-secret-another'))],
    ['wrong audience', async () => token({ ...base, aud: 'someone-else' }, 'HS256', hsKey)],
    ['wrong issuer', async () => token({ ...base, iss: 'https://evil.example' }, 'HS256', hsKey)],
    ['unknown tenant', async () => token({ ...base, tenant: 'globex' }, 'HS256', hsKey)],
    ['not a JWT', async () => 'not.a.jwt'],
    ['alg none', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...base, exp: 9999999999 })).toString('base64url')}.`],
  ])('%s → 401 with the same message', async (_name, make) => {
    const { status, body } = await graphql(endpoint, WHO, { headers: { authorization: `Bearer ${await make()}` } });
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ message: 'Missing or invalid credentials', extensions: { code: 'UNAUTHENTICATED' } }] });
  });
});

describe('RS256 and ES256 through a JWKS URL', () => {
  let endpoint: string;
  beforeAll(async () => {
    endpoint = await gatewayWith(createJwtVerifier({ issuer: 'https://id.example', audience: 'charter', jwksUrl: `${jwks.url}/jwks.json`, claims: { tenant: 'tenant', roles: 'roles', scopes: 'scope' }, clockToleranceSec: 0 }, (t) => t === 'acme'));
  });

  test('tokens signed by either published key are accepted', async () => {
    for (const [alg, key, kid] of [['RS256', rsa.privateKey, 'rsa-1'], ['ES256', ec.privateKey, 'ec-1']] as const) {
      const { status, body } = await graphql(endpoint, '{ whoami }', { headers: { authorization: `Bearer ${await token(base, alg, key, { kid })}` } });
      expect(status).toBe(200);
      expect(body).toEqual({ data: { whoami: 'acme/user-7' } });
    }
  });

  test('a token signed by a key not in the set is refused', async () => {
    const stranger = await generateKeyPair('RS256');
    const { status } = await graphql(endpoint, '{ whoami }', { headers: { authorization: `Bearer ${await token(base, 'RS256', stranger.privateKey, { kid: 'rsa-1' })}` } });
    expect(status).toBe(401);
  });
});
