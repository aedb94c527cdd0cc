/**
 * Issue 10, item 1: `charter registry` started alone with no tokens used to start open with a
 * warning. Now it refuses (exit 2, saying how to configure tokens), `--insecure-dev` is refused
 * off loopback, and with tokens it starts and answers only to them.
 */
import { sha256Hex } from '../../schema-registry/auth';
import { runCharter, spawnCharter, tempDir, waitForOk } from '../support/charter-process';
import { freePortRange } from '../support/ports';

const base = (dataDir: string): Record<string, string> => ({ CHARTER_DATA_DIR: dataDir, REDIS_URL: '', CHARTER_REGISTRY_STORE: '', CHARTER_REGISTRY_TOKENS: '' });

test('no tokens: exit 2 with how to configure them', async () => {
  const port = await freePortRange(1);
  const res = await runCharter(['registry', '--port', String(port)], base(tempDir('open-registry')));
  expect(res.code).toBe(2);
  expect(res.stderr).toContain('charter: the registry has no tokens: set CHARTER_REGISTRY_TOKENS to a JSON array like');
  expect(res.stderr).toContain('--insecure-dev on 127.0.0.1');
});

test('--insecure-dev off loopback: exit 2', async () => {
  const port = await freePortRange(1);
  const res = await runCharter(['registry', '--insecure-dev', '--host', '0.0.0.0', '--port', String(port)], base(tempDir('open-registry')));
  expect(res.code).toBe(2);
  expect(res.stderr).toContain('--insecure-dev is allowed only on a loopback address (127.0.0.1, ::1, localhost), not "0.0.0.0"');
});

test('with tokens it starts, and answers only to them', async () => {
  const port = await freePortRange(1);
  const tokens = JSON.stringify([{ id: 'ops', tokenSha256: sha256Hex('cli-test-admin'), scopes: ['admin'] }]);
  const proc = spawnCharter(['registry', '--port', String(port)], { ...base(tempDir('closed-registry')), CHARTER_REGISTRY_TOKENS: tokens });
  try {
    await waitForOk(`http://127.0.0.1:${port}/health`, proc, 20_000);
    expect((await fetch(`http://127.0.0.1:${port}/api/variants`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/api/variants`, { headers: { authorization: 'Bearer cli-test-admin' } })).status).toBe(200);
  } finally {
    await proc.stop();
  }
});
