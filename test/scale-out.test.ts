/**
 * Two gateway processes (`charter gateway`) on one real Redis behave as one gateway: one global
 * rate limit, one shared response cache, and a newly published supergraph served by every replica
 * within a second of the publish.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import YAML from 'yaml';
import type { RunningServer } from '../core/http';
import { createLogger } from '../core/logger';
import { createPrincipalVerifier } from '../core/principal-signature';
import { hashApiKey } from '../gateway/auth/api-keys';
import { RegistryClient } from '../schema-registry/client/registry-client';
import { startRegistry, type RunningRegistry } from '../schema-registry/server';
import { startSubgraphServer } from '../subgraphs/serve';
import { graphql, spawnCharter, tempDir, waitForOk, type CharterProcess } from './support/charter-process';
import { freePort } from './support/ports';
import { describeWithRedis, startRedis, type TestRedis } from './support/redis';
import { SHOP_SDL, startShopSubgraph, type ShopSubgraph } from './support/shop-subgraph';

const SECRET = 'scale-out-secret';

describeWithRedis('gateway replicas on one Redis', () => {
  let redis: TestRedis;
  let registry: RunningRegistry;
  let shop: ShopSubgraph;
  let quotes: RunningServer | undefined;
  const replicas: Array<{ proc: CharterProcess; url: string }> = [];

  beforeAll(async () => {
    redis = await startRedis();
    const dir = tempDir('scale');
    registry = await startRegistry({ insecureDev: true, dataDir: path.join(dir, 'registry'), redisUrl: redis.url, logger: createLogger('test', 'silent') });
    shop = await startShopSubgraph(SECRET, { cacheMaxAgeSec: 60 });
    expect((await new RegistryClient(registry.url).publish('prod', { name: 'shop', url: `${shop.url}/graphql`, sdl: SHOP_SDL })).status).toBe(201);
    const configFile = path.join(dir, 'charter.config.yaml');
    fs.writeFileSync(
      configFile,
      YAML.stringify({
        gateway: { variant: 'prod' },
        tenants: [
          { id: 'acme', apiKeys: [{ id: 'a', sha256: hashApiKey('key-acme') }], policy: { fallback: 'allow' } },
          { id: 'limited', apiKeys: [{ id: 'l', sha256: hashApiKey('key-limited') }], plan: { rateLimit: { requestsPerMinute: 1, burst: 6 } }, policy: { fallback: 'allow' } },
        ],
      }),
    );
    for (const name of ['a', 'b']) {
      const port = await freePort();
      const proc = spawnCharter(['--config', configFile, 'gateway', '--registry', registry.url, '--port', String(port)], {
        REDIS_URL: redis.url,
        CHARTER_SUBGRAPH_SECRET: SECRET,
        CHARTER_DATA_DIR: path.join(dir, `gateway-${name}`),
      });
      replicas.push({ proc, url: `http://127.0.0.1:${port}/graphql` });
    }
    await Promise.all(replicas.map((r) => waitForOk(r.url.replace('/graphql', '/ready'), r.proc, 30_000)));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.proc.stop()));
    await quotes?.close();
    await shop?.close();
    await registry?.close();
    await redis?.stop();
  });

  test('one global rate limit across replicas', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await graphql(replicas[i % 2]!.url, '{ whoami }', { headers: { 'x-api-key': 'key-limited' } })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  });

  test('an answer cached by one replica is served by the other, identical', async () => {
    const before = shop.calls.operations;
    const first = await graphql(replicas[0]!.url, '{ products { name price } }', { headers: { 'x-api-key': 'key-acme' } });
    const second = await graphql(replicas[1]!.url, '{ products { name price } }', { headers: { 'x-api-key': 'key-acme' } });
    expect(second.body).toEqual(first.body);
    expect(shop.calls.operations).toBe(before + 1);
    expect(second.headers.get('age')).toMatch(/^\d+$/);
  });

  test('a publish reaches every replica within a second', async () => {
    const sdl = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\ntype Query { quote: String! }';
    quotes = await startSubgraphServer({ name: 'quotes', schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: { Query: { quote: () => 'Fear is the mind-killer.' } } }), verify: createPrincipalVerifier({ secret: SECRET, audience: 'quotes' }) });
    const published = Date.now();
    expect((await new RegistryClient(registry.url).publish('prod', { name: 'quotes', url: `${quotes.url}/graphql`, sdl })).status).toBe(201);
    const servedAfter = await Promise.all(
      replicas.map(async (r) => {
        for (;;) {
          const { status } = await graphql(r.url, '{ quote }', { headers: { 'x-api-key': 'key-acme' } });
          if (status === 200) return Date.now() - published;
          if (Date.now() - published > 5000) return Infinity;
          await new Promise((res) => setTimeout(res, 20));
        }
      }),
    );
    for (const ms of servedAfter) expect(ms).toBeLessThan(1000);
  });
});
