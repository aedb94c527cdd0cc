/**
 * A real headless Chromium (Debian's package) driven by playwright-core. Without it, browser tests
 * skip with a reason, except in CI (CI=true), where that is a failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string | null {
  return process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

export function describeWithBrowser(name: string, body: () => void): void {
  if (chromiumPath()) return describe(name, body);
  if (process.env.CI === 'true') throw new Error(`"${name}" needs Chromium, which is not installed; .ci/run installs it`);
  console.warn(`Skipping "${name}": Chromium is not installed. Install it (apt-get install chromium) or run bash .ci/run.`);
  describe.skip(name, body);
}

/** Where browser tests write screenshots for a reviewer to open (gitignored, made on demand). */
export function screenshotPath(name: string): string {
  const dir = path.resolve(__dirname, '../../.screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath()!,
    // This machine has no network beyond loopback: keep Chromium from reaching out at all.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
