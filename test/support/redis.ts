/**
 * A real Redis for tests: a private `redis-server` on a free port, no persistence, killed after.
 * Without the binary, tests that need it skip with a reason, except in CI (CI=true), where that is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from './ports';

export function redisServerPath(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** `describe` when Redis can run here, else `describe.skip` with a printed reason (and a thrown error in CI). */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisServerPath()) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') throw new Error(`"${name}" needs redis-server, which is not installed; .ci/run installs it`);
  console.warn(`Skipping "${name}": redis-server is not installed. Install it (apt-get install redis-server) or run bash .ci/run.`);
  describe.skip(name, body);
}

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const bin = redisServerPath();
  if (!bin) throw new Error('redis-server is not installed');
  const port = await freePort();
  const child: ChildProcess = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitForPort(port, 5000);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Inside a `describeWithRedis` body: one Redis for the block, and a fresh key prefix per test, so
 * store tests never see each other's keys. Read `url` and `prefix` inside tests (they change).
 */
export function useRedisPerTest(tag: string): { readonly url: string; readonly prefix: string } {
  let redis: TestRedis | undefined;
  let prefix = '';
  let n = 0;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(() => {
    prefix = `${tag}${++n}:${Date.now()}:`;
  });
  return {
    get url() {
      return redis!.url;
    },
    get prefix() {
      return prefix;
    },
  };
}
