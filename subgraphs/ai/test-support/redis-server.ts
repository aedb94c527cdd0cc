/**
 * Start a throwaway redis-server for a test file: random port 20000-40000, no persistence.
 * Without the binary, tests skip with a printed reason, except under CI=true where they must run.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export interface TestRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
}

const REDIS_BINARY = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

/** Whether redis tests can run; throws under CI=true when they cannot. */
export function redisAvailable(): boolean {
  if (fs.existsSync(REDIS_BINARY)) return true;
  if (process.env.CI === 'true') throw new Error(`redis-server not found at ${REDIS_BINARY}; CI must run the Redis tests`);
  console.log(`skipping Redis tests: redis-server not found at ${REDIS_BINARY} (set REDIS_SERVER_BIN)`);
  return false;
}

function waitForPort(port: number, deadlineMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const attempt = (): void => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() - started > deadlineMs) reject(new Error(`redis-server did not listen on ${port}`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

export async function startTestRedis(): Promise<TestRedis> {
  for (let tries = 0; tries < 5; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child: ChildProcess = spawn(REDIS_BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await Promise.race([waitForPort(port, 3000), exited.then(() => Promise.reject(new Error('redis-server exited')))]);
    } catch {
      child.kill('SIGKILL');
      continue; // Port taken by someone else: try another.
    }
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
      },
    };
  }
  throw new Error('could not start redis-server on a free port');
}
