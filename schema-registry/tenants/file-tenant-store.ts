/**
 * Tenant versions on disk, beside the schema versions: one JSON file per version and a HEAD file per
 * variant holding the current records (so listing reads one file), each written atomically. The
 * version file is written before HEAD moves: a crash between the two leaves the last acknowledged
 * set as head and an orphan the next append overwrites. One process owns the directory; appends are
 * serialized by a per-variant queue.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SerialQueues } from '../../core/async';
import { readJsonFile, writeFileAtomic } from '../../core/atomic-file';
import { type StoredTenant, type TenantSet, type TenantVersion, type TenantVersionDraft } from '../../tenancy/tenant-records';
import { buildTenantVersion, type TenantAppendResult, type TenantStore } from './tenant-store';
import { VARIANT_NAME } from '../client/wire-types';

interface HeadFile {
  id: number;
  tenants: Record<string, StoredTenant>;
  /** Version ids per tenant, oldest first: history without reading every version. */
  history: Record<string, number[]>;
}

export class FileTenantStore implements TenantStore {
  private readonly queues = new SerialQueues();
  /** Versions are immutable, so a parsed one can be kept. */
  private readonly cache = new Map<string, TenantVersion>();

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  async headId(variant: string): Promise<number | null> {
    return (await this.readHead(variant))?.id ?? null;
  }

  async list(variant: string): Promise<TenantSet> {
    const head = await this.readHead(variant);
    const tenants = head ? Object.values(head.tenants).sort((a, b) => a.id.localeCompare(b.id)) : [];
    return { variant, versionId: head?.id ?? null, tenants };
  }

  async get(variant: string, tenant: string): Promise<StoredTenant | null> {
    const head = await this.readHead(variant);
    return head && Object.hasOwn(head.tenants, tenant) ? head.tenants[tenant]! : null;
  }

  async history(variant: string, tenant: string, limit = 50): Promise<TenantVersion[]> {
    const head = await this.readHead(variant);
    const ids = head && Object.hasOwn(head.history, tenant) ? head.history[tenant]! : [];
    const out: TenantVersion[] = [];
    for (const id of [...ids].reverse().slice(0, limit)) {
      const version = await this.version(variant, id);
      if (version) out.push(version);
    }
    return out;
  }

  append(variant: string, expectedHeadId: number | null, draft: TenantVersionDraft): Promise<TenantAppendResult> {
    if (!VARIANT_NAME.test(variant)) throw new Error(`invalid variant name "${variant}"`);
    return this.queues.run(variant, async (): Promise<TenantAppendResult> => {
      const head = await this.readHead(variant);
      const headId = head?.id ?? null;
      if (headId !== expectedHeadId) return { ok: false, reason: 'CONFLICT', headId };
      const { version, stored } = buildTenantVersion(variant, headId, draft);
      const history = { ...(head?.history ?? {}) };
      history[draft.tenant] = [...(Object.hasOwn(history, draft.tenant) ? history[draft.tenant]! : []), version.id];
      const nextHead: HeadFile = { id: version.id, tenants: { ...(head?.tenants ?? {}), [draft.tenant]: stored }, history };
      await writeFileAtomic(this.versionFile(variant, version.id), JSON.stringify(version));
      await writeFileAtomic(this.headFile(variant), JSON.stringify(nextHead));
      this.cache.set(`${variant}/${version.id}`, version);
      return { ok: true, version };
    });
  }

  async close(): Promise<void> {
    await this.queues.drain();
  }

  private async version(variant: string, id: number): Promise<TenantVersion | null> {
    const key = `${variant}/${id}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const version = await readJsonFile<TenantVersion>(this.versionFile(variant, id));
    if (version) this.cache.set(key, version);
    return version;
  }

  private async readHead(variant: string): Promise<HeadFile | null> {
    if (!VARIANT_NAME.test(variant)) return null;
    return readJsonFile<HeadFile>(this.headFile(variant));
  }

  private headFile(variant: string): string {
    return path.join(this.dir, variant, 'HEAD.json');
  }

  private versionFile(variant: string, id: number): string {
    return path.join(this.dir, variant, 'versions', `${String(id).padStart(8, '0')}.json`);
  }
}
