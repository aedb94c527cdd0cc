/**
 * Tracing in a production install (issue 10): the built project is copied as deploy/Dockerfile
 * ships it (dist/ prebuilt), installed with `npm ci --omit=dev --ignore-scripts`, and
 * `charter gateway` started from there with OTEL_EXPORTER_OTLP_ENDPOINT. It must say tracing is
 * enabled and export a request span to an OTLP/HTTP receiver on loopback, so the exporter cannot
 * silently be a dev-only dependency again.
 *
 * Slow (an npm install, ~1 min with a warm cache): it runs when CI=true or CHARTER_SLOW_TESTS=1,
 * and is skipped with a printed reason otherwise.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { composeSubgraphs } from '../governance/check';
import { graphql, REPO_ROOT, spawnCharter, tempDir, waitForOk, type CharterProcess } from './support/charter-process';
import { freePortRange } from './support/ports';
import { SHOP_SDL } from './support/shop-subgraph';

const run = process.env.CI === 'true' || process.env.CHARTER_SLOW_TESTS === '1';
if (!run) console.log('production-install-tracing: skipped (slow: an npm install); set CHARTER_SLOW_TESTS=1 or CI=true to run it');
const describeSlow = run ? describe : describe.skip;

/** What deploy/Dockerfile's image holds: the checkout minus .dockerignore's entries, plus the prebuilt dist/. */
const NOT_SHIPPED = new Set(['node_modules', '.charter', '.git', 'coverage']);

describeSlow('a production install (npm ci --omit=dev) exports traces', () => {
  jest.setTimeout(120_000);
  let dir: string;
  let receiver: http.Server;
  const received: Array<{ path: string; body: string }> = [];
  let proc: CharterProcess | null = null;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    dir = tempDir('prod-install');
    for (const entry of fs.readdirSync(REPO_ROOT)) {
      if (!NOT_SHIPPED.has(entry)) fs.cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
    }
    // --prefer-offline: npm's cache usually holds every package; the registry is asked only for what it lacks.
    await promisify(execFile)('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, timeout: 100_000, maxBuffer: 16 * 1024 * 1024 });
    receiver = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  }, 110_000);

  afterAll(async () => {
    await proc?.stop();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the install has the exporter at the SDK\'s line and no dev dependency', () => {
    const sdk = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/@opentelemetry/sdk-trace-base/package.json'), 'utf8')).version as string;
    const exporter = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/@opentelemetry/exporter-trace-otlp-http/package.json'), 'utf8')).version as string;
    // The exporter's 0.x line pairs with one SDK major: 0.5x with SDK 1.x, 0.2xx with SDK 2.x.
    expect(sdk.startsWith('1.') ? /^0\.5\d\./.test(exporter) : /^0\.2\d\d\./.test(exporter)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'node_modules/jest'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'node_modules/@graphql-hive/gateway'))).toBe(false);
  });

  test('charter gateway reports tracing enabled and exports a request span over OTLP/HTTP', async () => {
    const port = await freePortRange(2);
    const composed = composeSubgraphs([{ name: 'shop', url: 'http://127.0.0.1:9/graphql', sdl: SHOP_SDL }]);
    if (!composed.ok) throw new Error('compose failed');
    fs.writeFileSync(path.join(dir, 'supergraph.graphql'), composed.supergraphSdl);
    fs.writeFileSync(path.join(dir, 'charter.config.yaml'), `dataDir: ./data\ngateway:\n  port: ${port}\n  host: 127.0.0.1\n`);
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    proc = spawnCharter(['--config', 'charter.config.yaml', 'gateway', '--supergraph', 'supergraph.graphql'], { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', LOG_LEVEL: 'info', NODE_ENV: 'production', NODE_PATH: '' }, dir, dir);
    await waitForOk(`http://127.0.0.1:${port}/ready`, proc, 30_000);
    expect(proc.output()).toContain('OpenTelemetry tracing enabled: exporting spans over OTLP/HTTP');
    expect(proc.output()).not.toContain('packages are missing');

    const answer = await graphql(`http://127.0.0.1:${port}/graphql`, '{ __typename }');
    expect(answer.body).toEqual({ data: { __typename: 'Query' } });
    const deadline = Date.now() + 15_000;
    while (!received.some((r) => r.body.includes('charter.request')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const traces = received.find((r) => r.body.includes('charter.request'));
    expect(traces?.path).toBe('/v1/traces');
    const body = JSON.parse(traces!.body);
    const resource = body.resourceSpans[0].resource.attributes.find((a: { key: string }) => a.key === 'service.name');
    expect(resource.value.stringValue).toBe('charter-gateway');
    const spans = body.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
    expect(spans.map((s: { name: string }) => s.name)).toContain('charter.request');
  });
});
