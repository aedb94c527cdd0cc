/**
 * Telling gateways about a new supergraph over Redis pub/sub, on channel
 * `charter:supergraph:<variant>`. The message is `{variant, id, etag, createdAt}`; a gateway then
 * fetches the supergraph from the registry (conditional GET). Polling stays the fallback: a
 * notification lost while a subscriber reconnects costs only the polling delay.
 */
import Redis from 'ioredis';
import type { SchemaVersion } from './wire-types';

export const SUPERGRAPH_CHANNEL_PREFIX = 'charter:supergraph:';

export interface SupergraphUpdate {
  variant: string;
  id: number;
  /** The ETag the registry serves this version's supergraph with. */
  etag: string;
  createdAt: string;
}

export interface NotificationOptions {
  /** Channel prefix; default `charter:supergraph:`. Tests sharing a Redis use their own. */
  channelPrefix?: string;
}

export function supergraphChannel(variant: string, options: NotificationOptions = {}): string {
  return `${options.channelPrefix ?? SUPERGRAPH_CHANNEL_PREFIX}${variant}`;
}

/** Publishes a notification per new version. */
export class SupergraphNotifier {
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    private readonly options: NotificationOptions = {},
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  }

  /** Resolves with how many subscribers got it. */
  async notify(version: Pick<SchemaVersion, 'variant' | 'id' | 'createdAt'>): Promise<number> {
    const update: SupergraphUpdate = { variant: version.variant, id: version.id, etag: `"${version.variant}:${version.id}"`, createdAt: version.createdAt };
    return this.redis.publish(supergraphChannel(version.variant, this.options), JSON.stringify(update));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export interface SupergraphSubscription {
  close(): Promise<void>;
}

/**
 * Calls `onVersion` for each new version of `variant` published by any registry on this Redis.
 * Resolves once subscribed. The connection re-subscribes by itself after a Redis restart.
 */
export async function subscribeToSupergraphUpdates(
  redisUrl: string,
  variant: string,
  onVersion: (update: SupergraphUpdate) => void,
  options: NotificationOptions & { onError?: (err: Error) => void } = {},
): Promise<SupergraphSubscription> {
  const channel = supergraphChannel(variant, options);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', (err: Error) => options.onError?.(err));
  redis.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    let update: SupergraphUpdate;
    try {
      update = JSON.parse(message) as SupergraphUpdate;
    } catch {
      options.onError?.(new Error(`unreadable message on ${channel}`));
      return;
    }
    if (update.variant === variant && Number.isInteger(update.id)) onVersion(update);
  });
  try {
    await redis.subscribe(channel);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  return {
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
