/**
 * API keys: stored and compared only as SHA-256 hashes. A key maps to its tenant's principal.
 * Demo keys (the embedded default) are generated once and kept in `.charter/demo-keys.json`, mode 0600.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../../core/atomic-file';
import type { TenantConfig } from '../../core/config';
import type { Principal } from './principal';

export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(tenant: string): string {
  return `ck_${tenant}_${crypto.randomBytes(18).toString('base64url')}`;
}

export interface DemoKey {
  tenant: string;
  keyId: string;
  apiKey: string;
  description?: string;
}

/**
 * Read the demo keys file, creating keys for demo key slots that have none yet. The file is
 * readable only by its owner: it holds live credentials.
 */
export function ensureDemoKeys(dataDir: string, tenants: TenantConfig[]): DemoKey[] {
  const file = path.join(dataDir, 'demo-keys.json');
  let existing: DemoKey[] = [];
  // Other entries of the file (the dev registry's admin token) are kept as they are.
  let others: Record<string, unknown> = {};
  try {
    const { keys, ...rest } = JSON.parse(fs.readFileSync(file, 'utf8')) as { keys?: DemoKey[] } & Record<string, unknown>;
    existing = keys ?? [];
    others = rest;
  } catch {
    existing = [];
  }
  const keys: DemoKey[] = [];
  for (const tenant of tenants) {
    for (const slot of tenant.apiKeys) {
      if (!('demo' in slot)) continue;
      const found = existing.find((k) => k.tenant === tenant.id && k.keyId === slot.id);
      keys.push(found ?? { tenant: tenant.id, keyId: slot.id, apiKey: generateApiKey(tenant.id), description: tenant.description });
    }
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileAtomicSync(file, JSON.stringify({ ...others, keys }, null, 2) + '\n', 0o600);
  fs.chmodSync(file, 0o600);
  return keys;
}

/**
 * Maps a presented key to its principal, through a hash lookup (constant work whatever the key).
 * `update` swaps the whole key set at run time (keys created or revoked in the registry).
 */
export class ApiKeyDirectory {
  private byHash: Map<string, Principal>;

  constructor(
    tenants: TenantConfig[],
    private readonly demoKeys: DemoKey[] = [],
  ) {
    this.byHash = indexKeys(tenants, demoKeys);
  }

  /** Replaces every key with those of `tenants` (demo keys as given at construction): a revoked key stops working at once. */
  update(tenants: TenantConfig[]): void {
    // Built aside and swapped in one assignment, so no lookup sees a half-built set.
    this.byHash = indexKeys(tenants, this.demoKeys);
  }

  get size(): number {
    return this.byHash.size;
  }

  lookup(apiKey: string): Principal | null {
    return this.byHash.get(hashApiKey(apiKey)) ?? null;
  }
}

function indexKeys(tenants: TenantConfig[], demoKeys: DemoKey[]): Map<string, Principal> {
  const byHash = new Map<string, Principal>();
  for (const tenant of tenants) {
    for (const slot of tenant.apiKeys) {
      const demo = 'sha256' in slot ? undefined : demoKeys.find((k) => k.tenant === tenant.id && k.keyId === slot.id);
      const hash = 'sha256' in slot ? slot.sha256 : demo && hashApiKey(demo.apiKey);
      if (!hash) continue;
      byHash.set(hash, { tenant: tenant.id, subject: `key:${slot.id}`, keyId: slot.id, roles: tenant.roles, scopes: tenant.scopes });
    }
  }
  return byHash;
}
