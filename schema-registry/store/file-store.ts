/**
 * The embedded registry store: one JSON file per version and a HEAD file per variant, each written
 * atomically. The version file is written before HEAD moves, so a crash between the two leaves the
 * last acknowledged version as head and an orphan that the next append overwrites.
 * One process owns a data directory; appends within it are serialized by a per-variant queue.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SerialQueues } from '../../core/async';
import { readJsonFile, writeFileAtomic } from '../../core/atomic-file';
import { summarize, type SchemaVersion, type VersionDraft, type VersionSummary } from '../client/wire-types';
import type { AppendResult, RegistryStore } from './registry-store';
import { VARIANT_NAME } from '../client/wire-types';


export class FileRegistryStore implements RegistryStore {
  private readonly queues = new SerialQueues();
  private readonly cache = new Map<string, SchemaVersion>();

  constructor(private readonly dir: string) {
    fs.mkdirSync(path.join(dir, 'variants'), { recursive: true });
  }

  async headId(variant: string): Promise<number | null> {
    const head = await readJsonFile<{ id: unknown }>(this.headFile(variant));
    const id = Number(head?.id);
    return head && Number.isInteger(id) ? id : null;
  }

  async head(variant: string): Promise<SchemaVersion | null> {
    const id = await this.headId(variant);
    return id === null ? null : this.version(variant, id);
  }

  async version(variant: string, id: number): Promise<SchemaVersion | null> {
    const key = `${variant}/${id}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const headId = await this.headId(variant);
    // An orphan beyond head (from a crash mid-append) is not a version.
    if (headId === null || id > headId || id < 1) return null;
    const version = await readJsonFile<SchemaVersion>(this.versionFile(variant, id));
    if (version) this.cache.set(key, version);
    return version;
  }

  async history(variant: string, limit = 50): Promise<VersionSummary[]> {
    const headId = await this.headId(variant);
    const out: VersionSummary[] = [];
    for (let id = headId ?? 0; id >= 1 && out.length < limit; id--) {
      const v = await this.version(variant, id);
      if (v) out.push(summarize(v));
    }
    return out;
  }

  async variants(): Promise<string[]> {
    const entries = await fs.promises.readdir(path.join(this.dir, 'variants'));
    const out: string[] = [];
    for (const name of entries) if ((await this.headId(name)) !== null) out.push(name);
    return out.sort();
  }

  append(variant: string, expectedHeadId: number | null, draft: VersionDraft): Promise<AppendResult> {
    if (!VARIANT_NAME.test(variant)) throw new Error(`invalid variant name "${variant}"`);
    return this.queues.run(variant, async (): Promise<AppendResult> => {
      const headId = await this.headId(variant);
      if (headId !== expectedHeadId) return { ok: false, reason: 'CONFLICT', headId };
      const version: SchemaVersion = {
        ...draft,
        id: (headId ?? 0) + 1,
        parentId: headId,
        variant,
        createdAt: new Date().toISOString(),
      };
      await writeFileAtomic(this.versionFile(variant, version.id), JSON.stringify(version));
      await writeFileAtomic(this.headFile(variant), JSON.stringify({ id: version.id }));
      this.cache.set(`${variant}/${version.id}`, version);
      return { ok: true, version };
    });
  }

  async close(): Promise<void> {
    await this.queues.drain();
  }

  private headFile(variant: string): string {
    return path.join(this.dir, 'variants', variant, 'HEAD.json');
  }

  private versionFile(variant: string, id: number): string {
    return path.join(this.dir, 'variants', variant, 'versions', `${String(id).padStart(8, '0')}.json`);
  }
}
