/**
 * A real PostgreSQL for tests (FACTS, 2026-12-02): Debian's server refuses to run as root, so a
 * throwaway cluster is made with `runuser -u postgres -- initdb` in a temp dir owned by `postgres`
 * and started with `pg_ctl` on a free port, trust auth on 127.0.0.1 only; stopped and deleted after.
 * Without the binaries, tests skip with a reason, except in CI (CI=true), where that is a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

const BIN = '/usr/lib/postgresql/15/bin';

export function postgresAvailable(): string | null {
  if (!fs.existsSync(path.join(BIN, 'initdb'))) return 'PostgreSQL 15 is not installed (apt-get install postgresql)';
  if (spawnSync('id', ['-u', 'postgres']).status !== 0) return 'there is no "postgres" user to run the server as';
  if (spawnSync('sh', ['-c', 'command -v runuser']).status !== 0) return 'runuser is not available';
  return null;
}

export function describeWithPostgres(name: string, body: () => void): void {
  const missing = postgresAvailable();
  if (!missing) return describe(name, body);
  if (process.env.CI === 'true') throw new Error(`"${name}" needs PostgreSQL: ${missing}`);
  console.warn(`Skipping "${name}": ${missing}.`);
  describe.skip(name, body);
}

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-pg-'));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  execFileSync('chown', ['postgres', dir]);
  const port = await freePort();
  const asPostgres = (bin: string, args: string[]): void => {
    execFileSync('runuser', ['-u', 'postgres', '--', path.join(BIN, bin), ...args], { stdio: 'pipe' });
  };
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'charter']);
  asPostgres('pg_ctl', ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://charter@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
