/**
 * `charter calls` and `charter stats` against a real registry: `--json` prints one object per call
 * with time, tenant, operationName, status and latencyMs; filters reach the registry; a token
 * scoped to another tenant is refused with exit code 2 and the registry's code.
 */
import { Command } from 'commander';
import type { CallRecord } from '../analytics/call-record';
import { loadSqlite } from '../analytics/sqlite-call-store';
import { register } from '../cli/commands/insight';
import { createLogger } from '../core/logger';
import { sha256Hex } from '../schema-registry/auth';
import { CallLogClient } from '../schema-registry/client/call-log-client';
import { startRegistry, type RunningRegistry } from '../schema-registry/server';
import { tempDir } from './support/charter-process';

const sqlite = loadSqlite();
if (!sqlite.ok) console.warn(`Skipping charter calls/stats: ${sqlite.reason}`);
const maybe = sqlite.ok ? describe : describe.skip;

const NOW = Date.now();
const call = (over: Partial<CallRecord>): CallRecord => ({ time: NOW - 60_000, tenant: 'acme', entrance: 'graphql', status: 200, errorCodes: [], latencyMs: 8.5, operationName: 'Books', ...over });

async function charter(registry: RunningRegistry, token: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command().option('-c, --config <file>', 'config', 'charter.config.yaml').exitOverride();
  register(program);
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const before = process.env.CHARTER_REGISTRY_TOKEN;
  process.env.CHARTER_REGISTRY_TOKEN = token;
  process.exitCode = 0;
  try {
    await program.parseAsync([...args, '--registry', registry.url], { from: 'user' });
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env.CHARTER_REGISTRY_TOKEN = before;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stdout, stderr };
}

maybe('charter calls / stats', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry({
      dataDir: tempDir('calls-cli'),
      logger: createLogger('test', 'silent'),
      tokens: [
        { id: 'admin', tokenSha256: sha256Hex('admin-token'), scopes: ['admin'] },
        { id: 'globex', tokenSha256: sha256Hex('globex-token'), scopes: ['read'], tenants: ['globex'] },
      ],
    });
    await new CallLogClient(registry.url, 'admin-token').sendCalls([
      call({}),
      call({ time: NOW - 30_000, status: 500, errorCodes: ['UPSTREAM_ERROR'], latencyMs: 120 }),
      call({ time: NOW - 20_000, tenant: 'globex', operationName: 'Orders' }),
      call({ time: NOW - 3 * 3_600_000, operationName: 'Old' }),
    ]);
  });
  afterAll(async () => {
    await registry?.close();
  });

  test('--json prints one object per call with the documented fields, filtered', async () => {
    const { code, stdout } = await charter(registry, 'admin-token', 'calls', '--tenant', 'acme', '--since', '1h', '--json');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.tenant, l.operationName, l.status, l.latencyMs])).toEqual([
      ['acme', 'Books', 500, 120],
      ['acme', 'Books', 200, 8.5],
    ]);
    expect(lines[0].time).toBe(new Date(NOW - 30_000).toISOString());
    const errors = await charter(registry, 'admin-token', 'calls', '--status', 'error', '--json');
    expect(errors.stdout.trim().split('\n')).toHaveLength(1);
  });

  test('stats prints a row per operation with requests and error rate', async () => {
    const { code, stdout } = await charter(registry, 'admin-token', 'stats', '--since', '1h', '--bucket', 'day', '--by', 'tenant,operation', '--json');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout);
    expect(rows.map((r: any) => [r.tenant, r.operationName, r.requests, r.errorRate])).toEqual([
      ['acme', 'Books', 2, 0.5],
      ['globex', 'Orders', 1, 0],
    ]);
  });

  test("a token scoped to another tenant is refused: exit 2 and FORBIDDEN", async () => {
    const { code, stdout, stderr } = await charter(registry, 'globex-token', 'calls', '--tenant', 'acme');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Refused \(FORBIDDEN\)/);
    const own = await charter(registry, 'globex-token', 'calls', '--json');
    expect(own.stdout.trim().split('\n').map((l) => JSON.parse(l).tenant)).toEqual(['globex']);
  });

  test('a bad time is said, with exit 2', async () => {
    const { code, stderr } = await charter(registry, 'admin-token', 'calls', '--since', 'yesterday-ish');
    expect(code).toBe(2);
    expect(stderr).toMatch(/not a time/);
  });
});
