/**
 * Supergraph from the registry: long-polled conditional GETs (a publish reaches the gateway at once),
 * the last good supergraph kept on disk so the gateway starts even when the registry is down.
 */
import fs from 'node:fs';
import { sleep } from '../../core/async';
import { writeFileAtomic } from '../../core/atomic-file';
import { followLongPoll } from '../../core/long-poll';
import type { Logger } from '../../core/logger';
import { RegistryClient } from '../../schema-registry/client/registry-client';
import { subscribeToSupergraphUpdates } from '../../schema-registry/client/schema-notifications';
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
  /**
   * With Redis, a publish on any registry replica is announced on a channel: the gateway asks for
   * the new supergraph at once instead of waiting for its long-poll to return.
   */
  redisUrl?: string;
  logger: Logger;
}

interface CachedSupergraph {
  etag: string;
  id: number;
  supergraphSdl: string;
}

export function registrySupergraphSource(options: RegistrySourceOptions): SupergraphSource {
  const client = new RegistryClient(options.registryUrl, options.token);
  const stopped = new AbortController();
  let current: CachedSupergraph | null = null;

  const remember = async (next: CachedSupergraph): Promise<void> => {
    current = next;
    if (options.cacheFile) await writeFileAtomic(options.cacheFile, JSON.stringify(next)).catch((err) => options.logger.warn({ err }, 'could not keep the last good supergraph on disk'));
  };

  const fetchSupergraph = async (etag: string | undefined, waitMs: number, signal: AbortSignal): Promise<{ etag: string; value: CachedSupergraph } | null> => {
    const got = await client.fetchSupergraph(options.variant, { etag, waitMs, signal });
    return got && { etag: got.etag, value: { etag: got.etag, id: got.id, supergraphSdl: got.supergraphSdl } };
  };

  const first = async (): Promise<CachedSupergraph> => {
    for (;;) {
      try {
        const got = await fetchSupergraph(undefined, 0, stopped.signal);
        if (got) return got.value;
      } catch (err) {
        const cached = readCache(options.cacheFile);
        if (cached) {
          options.logger.warn({ err: String(err), version: cached.id }, 'registry unreachable: starting from the last good supergraph on disk');
          return cached;
        }
        options.logger.warn({ err: String(err) }, 'registry unreachable and no supergraph on disk yet: retrying');
      }
      if (stopped.signal.aborted) throw new Error('stopped before a supergraph was loaded');
      await sleep(options.retryDelayMs ?? 1000, stopped.signal);
    }
  };

  return {
    get currentVersion() {
      return current ? `${options.variant}:${current.id}` : null;
    },
    async initialize({ update }: SupergraphHookOptions) {
      const initial = await first();
      await remember(initial);
      const poll = followLongPoll({
        fetch: fetchSupergraph,
        etag: initial.etag,
        waitMs: options.waitMs,
        retryDelayMs: options.retryDelayMs,
        apply: async (next) => {
          update(next.supergraphSdl);
          await remember(next);
          options.logger.info({ version: next.id }, 'serving a new supergraph');
        },
        onError: (err) => options.logger.warn({ err: String(err) }, 'supergraph poll failed; keeping the current one'),
      });
      const subscription = options.redisUrl
        ? await subscribeToSupergraphUpdates(options.redisUrl, options.variant, (notice) => {
            if (!current || notice.id > current.id) poll.wake();
          }, { onError: (err) => options.logger.warn({ err: String(err) }, 'supergraph notifications: Redis error (long-polling continues)') }).catch((err) => {
            options.logger.warn({ err: String(err) }, 'could not subscribe to supergraph notifications; long-polling only');
            return null;
          })
        : null;
      return {
        supergraphSdl: initial.supergraphSdl,
        cleanup: async () => {
          stopped.abort();
          await subscription?.close();
          await poll.stop();
        },
      };
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
