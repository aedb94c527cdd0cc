/** Shared fixtures for the registry's tests: a registry on a temp dir and a few subgraph SDLs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RegistryClient } from './client';
import { startRegistry, type RegistryOptions, type RunningRegistry } from './server';

export const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

/** A books subgraph; `extraFields` are added to Book. */
export function booksSdl(extraFields = 'year: Int'): string {
  return `${FED}\n"""A book"""\ntype Book @key(fields: "id") {\n  id: ID!\n  title: String!\n  ${extraFields}\n}\ntype Query {\n  "All books"\n  books: [Book!]!\n}`;
}

export const REVIEWS_SDL = `${FED}\n"""A review"""\ntype Review {\n  id: ID!\n  stars: Int!\n}\ntype Book @key(fields: "id") {\n  id: ID!\n  reviews: [Review!]!\n}\ntype Query {\n  "Latest reviews"\n  latestReviews: [Review!]!\n}`;

export interface TestRegistry {
  registry: RunningRegistry;
  client: RegistryClient;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestRegistry(options: Partial<RegistryOptions> = {}, token?: string): Promise<TestRegistry> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-registry-'));
  // env: {} so a developer's REDIS_URL or CHARTER_REGISTRY_TOKENS does not leak into tests.
  // Without tokens the test registry is an --insecure-dev one on loopback (tests of auth pass tokens).
  const registry = await startRegistry({ dataDir, env: {}, insecureDev: !options.tokens?.length, ...options });
  return {
    registry,
    client: new RegistryClient(registry.url, token),
    dataDir,
    close: async () => {
      await registry.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
