/**
 * Tenants from the registry: long-polled conditional GETs of the variant's tenant set (a policy or
 * key change reaches the gateway at once), handed to `onChange` as runtime tenants. The last
 * set seen is kept on disk (key hashes only) so a gateway restarted while the registry is down
 * still knows the registry's tenants.
 */
import fs from 'node:fs';
import { writeFileAtomic } from '../../core/atomic-file';
import { followLongPoll, type LongPoll } from '../../core/long-poll';
import type { Tenant } from '../../tenancy/tenant';
import type { Logger } from '../../core/logger';
import { TenantRegistryClient, type FetchedTenantSet } from '../../schema-registry/client/tenant-client';
import type { StoredTenant } from '../../tenancy/tenant-records';

export interface RegistryTenantSourceOptions {
  registryUrl: string;
  variant: string;
  /** A registry token with the reader role. */
  token?: string;
  /** Called with the registry's tenants (as runtime tenants) at first load and after every change. */
  onChange: (tenants: Tenant[], versionId: number | null) => void;
  /** File holding the last tenant set seen, read at start when the registry cannot be reached. */
  cacheFile?: string;
  /** How long one long-poll waits for a new version before asking again. Default 25000. */
  waitMs?: number;
  /** Pause after a failed poll. Default 1000. */
  retryDelayMs?: number;
  logger?: Logger;
}

export interface RegistryTenantSource {
  /** Settles after the first attempt, whether it reached the registry or not (config tenants serve meanwhile). */
  readonly ready: Promise<void>;
  /** The registry tenant version now applied; null before any. */
  readonly versionId: number | null;
  close(): Promise<void>;
}

/** A stored tenant as the gateway serves it; its policy is labelled by the registry's tenant version. */
export function tenantFromRegistry(variant: string, tenant: StoredTenant): Tenant {
  return {
    id: tenant.id,
    ...(tenant.description !== undefined ? { description: tenant.description } : {}),
    roles: tenant.roles,
    scopes: tenant.scopes,
    plan: tenant.plan,
    apiKeys: tenant.apiKeys.map((k) => ({ id: k.id, sha256: k.sha256 })),
    ...(tenant.policy ? { policy: { ...tenant.policy, version: `registry:${variant}:${tenant.version}` } } : {}),
  };
}

/** Config tenants are the default; a registry tenant with the same id replaces the config one whole. */
export function mergeTenants(config: readonly Tenant[], registry: readonly Tenant[]): Tenant[] {
  const fromRegistry = new Map(registry.map((t) => [t.id, t]));
  const merged = config.map((t) => fromRegistry.get(t.id) ?? t);
  const known = new Set(config.map((t) => t.id));
  return [...merged, ...registry.filter((t) => !known.has(t.id))];
}

export function registryTenantSource(options: RegistryTenantSourceOptions): RegistryTenantSource {
  const client = new TenantRegistryClient(options.registryUrl, options.token);
  const abort = new AbortController();
  let current: FetchedTenantSet | null = null;

  const apply = (set: FetchedTenantSet): void => {
    current = set;
    try {
      options.onChange(
        set.tenants.map((t) => tenantFromRegistry(options.variant, t)),
        set.versionId,
      );
    } catch (err) {
      options.logger?.error({ err }, 'applying the registry tenants failed; keeping the previous ones');
    }
  };

  const remember = async (set: FetchedTenantSet): Promise<void> => {
    if (options.cacheFile) await writeFileAtomic(options.cacheFile, JSON.stringify(set), 0o600).catch((err) => options.logger?.warn({ err }, 'could not keep the registry tenants on disk'));
  };

  const fetchTenants = async (etag: string | undefined, waitMs: number, signal: AbortSignal): Promise<{ etag: string; value: FetchedTenantSet } | null> => {
    const next = await client.fetchTenants(options.variant, { etag, waitMs, signal });
    return next && { etag: next.etag, value: next };
  };

  let poll: LongPoll | null = null;
  const ready = (async () => {
    try {
      const first = await fetchTenants(undefined, 0, abort.signal);
      if (first) {
        apply(first.value);
        await remember(first.value);
      }
    } catch (err) {
      const cached = readCache(options.cacheFile);
      if (cached) {
        options.logger?.warn({ err: String(err), version: cached.versionId }, 'registry unreachable: starting from the last tenant set on disk');
        apply(cached);
      } else {
        options.logger?.warn({ err: String(err) }, 'registry unreachable: serving the configured tenants until it answers');
      }
    }
    if (abort.signal.aborted) return;
    poll = followLongPoll({
      fetch: fetchTenants,
      etag: (current as FetchedTenantSet | null)?.etag,
      waitMs: options.waitMs,
      retryDelayMs: options.retryDelayMs,
      apply: async (next) => {
        apply(next);
        await remember(next);
        options.logger?.info({ version: next.versionId }, 'serving a new tenant set');
      },
      onError: (err) => options.logger?.warn({ err: String(err) }, 'tenant poll failed; keeping the current tenants'),
    });
  })();

  return {
    ready,
    get versionId() {
      return current?.versionId ?? null;
    },
    close: async () => {
      abort.abort();
      await ready;
      await poll?.stop();
    },
  };
}

function readCache(file: string | undefined): FetchedTenantSet | null {
  if (!file) return null;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as FetchedTenantSet;
    return Array.isArray(parsed.tenants) ? parsed : null;
  } catch {
    return null;
  }
}
