/**
 * Supergraph from the registry: long-polled conditional GETs (a publish reaches the gateway at once),
 * the last good supergraph kept on disk so the gateway starts even when the registry is down.
 */
import fs from 'node:fs';
import { writeFileAtomic } from '../../core/atomic-file';
import type { Logger } from '../../core/logger';
import { RegistryClient } from '../../schema-registry/client';
import type { SupergraphHookOptions, SupergraphSource } from './supergraph-source';

export interface RegistrySourceOptions {
  registryUrl: string;
  variant: string;
  token?: string;
  /** File holding the last good supergraph, read at start when the registry cannot be reached. */
  cacheFile?: string;
  /** How long one long-poll waits for a new version before asking again. */
  waitMs?: number;
  /** Pause after a failed poll. */
  retryDelayMs?: number;
  logger: Logger;
}

interface CachedSupergraph {
  etag: string;
  id: number;
  supergraphSdl: string;
}

export function registrySupergraphSource(options: RegistrySourceOptions): SupergraphSource {
  const client = new RegistryClient(options.registryUrl, options.token);
  const abort = new AbortController();
  let current: CachedSupergraph | null = null;

  const remember = async (next: CachedSupergraph): Promise<void> => {
    current = next;
    if (options.cacheFile) await writeFileAtomic(options.cacheFile, JSON.stringify(next)).catch((err) => options.logger.warn({ err }, 'could not keep the last good supergraph on disk'));
  };

  const fetchOnce = async (waitMs?: number): Promise<CachedSupergraph | null> => {
    const got = await client.fetchSupergraph(options.variant, { etag: current?.etag, waitMs, signal: abort.signal });
    return got && { etag: got.etag, id: got.id, supergraphSdl: got.supergraphSdl };
  };

  const first = async (): Promise<CachedSupergraph> => {
    for (;;) {
      try {
        const got = await fetchOnce();
        if (got) return got;
      } catch (err) {
        const cached = readCache(options.cacheFile);
        if (cached) {
          options.logger.warn({ err: String(err), version: cached.id }, 'registry unreachable: starting from the last good supergraph on disk');
          return cached;
        }
        options.logger.warn({ err: String(err) }, 'registry unreachable and no supergraph on disk yet: retrying');
      }
      if (abort.signal.aborted) throw new Error('stopped before a supergraph was loaded');
      await sleep(options.retryDelayMs ?? 1000);
    }
  };

  return {
    get currentVersion() {
      return current ? `${options.variant}:${current.id}` : null;
    },
    async initialize({ update }: SupergraphHookOptions) {
      const initial = await first();
      await remember(initial);
      void (async () => {
        while (!abort.signal.aborted) {
          try {
            const next = await fetchOnce(options.waitMs ?? 25_000);
            if (!next) continue;
            update(next.supergraphSdl);
            await remember(next);
            options.logger.info({ version: next.id }, 'serving a new supergraph');
          } catch (err) {
            if (abort.signal.aborted) return;
            options.logger.warn({ err: String(err) }, 'supergraph poll failed; keeping the current one');
            await sleep(options.retryDelayMs ?? 1000);
          }
        }
      })();
      return { supergraphSdl: initial.supergraphSdl, cleanup: async () => abort.abort() };
    },
  };
}

function readCache(file: string | undefined): CachedSupergraph | null {
  if (!file) return null;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as CachedSupergraph;
    return typeof parsed.supergraphSdl === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
