/**
 * The registry token the CLI presents: `CHARTER_REGISTRY_TOKEN`, else the admin token `charter dev`
 * wrote to `<dataDir>/demo-keys.json` (so `charter publish` works against `npm start` with no setup).
 * `charter dev` also makes that token here, and a read + usage token for its own gateway.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../core/atomic-file';
import { generateRegistryToken, sha256Hex, type RegistryToken } from '../schema-registry/auth';

const DEMO_KEYS_FILE = 'demo-keys.json';

interface DemoKeysFile {
  keys?: unknown[];
  /** The embedded registry's admin token (`charter dev`). */
  registry?: { adminToken?: string };
}

function readDemoKeysFile(dataDir: string): DemoKeysFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(dataDir, DEMO_KEYS_FILE), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as DemoKeysFile) : {};
  } catch {
    return {};
  }
}

/** `CHARTER_REGISTRY_TOKEN`, else the dev admin token in `dataDir`, else none. */
export function cliRegistryToken(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHARTER_REGISTRY_TOKEN) return env.CHARTER_REGISTRY_TOKEN;
  if (!dataDir) return undefined;
  const token = readDemoKeysFile(dataDir).registry?.adminToken;
  return typeof token === 'string' && token.length > 0 ? token : undefined;
}

export interface DevRegistryTokens {
  /** Printed and stored (0600): what the developer's CLI uses. */
  adminToken: string;
  /** Held in memory only: what the embedded gateway and AI subgraph present (read + report usage). */
  gatewayToken: string;
  /** What the embedded registry accepts: hashes only. */
  tokens: RegistryToken[];
}

/**
 * The embedded registry's tokens: the admin token is kept across restarts in demo-keys.json
 * (mode 0600, beside the demo API keys) so a CLI in another shell keeps working; the gateway's is
 * new on every start.
 */
export function ensureDevRegistryTokens(dataDir: string): DevRegistryTokens {
  const file = path.join(dataDir, DEMO_KEYS_FILE);
  const current = readDemoKeysFile(dataDir);
  let adminToken = current.registry?.adminToken;
  if (typeof adminToken !== 'string' || adminToken.length < 32) {
    adminToken = generateRegistryToken();
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileAtomicSync(file, JSON.stringify({ ...current, registry: { ...current.registry, adminToken } }, null, 2) + '\n', 0o600);
    fs.chmodSync(file, 0o600);
  }
  const gatewayToken = generateRegistryToken();
  return {
    adminToken,
    gatewayToken,
    tokens: [
      { id: 'dev-admin', tokenSha256: sha256Hex(adminToken), scopes: ['admin'] },
      { id: 'dev-gateway', tokenSha256: sha256Hex(gatewayToken), scopes: ['read', 'report-usage'] },
    ],
  };
}
