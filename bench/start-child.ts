/** Forks a compiled benchmark child (see child-ipc.ts) and waits until it reports ready. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface Child {
  process: ChildProcess;
  ready: { url: string; [key: string]: unknown };
  stop(): Promise<void>;
}

/** Fork a compiled bench child and wait for its `ready` message. */
export function startChild(script: string, arg: unknown, execArgv: string[] = []): Promise<Child> {
  const child = fork(path.isAbsolute(script) ? script : path.join(__dirname, script), [JSON.stringify(arg)], {
    // `--expose-gc`: `settle` collects every process's garbage between windows (see load.ts).
    execArgv: ['--expose-gc', ...execArgv],
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'error' },
    // stderr is kept, not shown (Hive Gateway warns about AbortSignal listeners under load); it is
    // printed if the child fails to start.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8000);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.send({ type: 'stop' });
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
    child.on('message', (message: { type: string; url?: string; message?: string }) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve({ process: child, ready: message as Child['ready'], stop });
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${script} failed: ${message.message}\n${stderr}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code} before it was ready\n${stderr}`)));
  });
}

