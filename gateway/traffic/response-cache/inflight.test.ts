import { createInflightDeduper } from './inflight';

describe('createInflightDeduper', () => {
  it('runs identical concurrent calls once and gives all callers the same result', async () => {
    const dedupe = createInflightDeduper();
    let calls = 0;
    let release!: (v: string) => void;
    const fn = (): Promise<string> => {
      calls++;
      return new Promise((resolve) => (release = resolve));
    };
    const all = Promise.all([dedupe.run('k', fn), dedupe.run('k', fn), dedupe.run('k', fn)]);
    const other = dedupe.run('other', async () => 'different');
    await Promise.resolve();
    release('answer');
    expect(await all).toEqual(['answer', 'answer', 'answer']);
    expect(await other).toBe('different');
    expect(calls).toBe(1);
  });

  it('forgets a key once settled, after success and after failure', async () => {
    const dedupe = createInflightDeduper();
    let calls = 0;
    await dedupe.run('k', async () => ++calls);
    expect(dedupe.size).toBe(0);
    expect(await dedupe.run('k', async () => ++calls)).toBe(2);
    const failing = [dedupe.run('f', async () => Promise.reject(new Error('down'))), dedupe.run('f', async () => 'never')];
    await expect(failing[0]).rejects.toThrow('down');
    await expect(failing[1]).rejects.toThrow('down');
    expect(dedupe.size).toBe(0);
    expect(await dedupe.run('f', async () => 'up')).toBe('up');
  });
});
