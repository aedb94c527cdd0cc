/**
 * The verifier every configured subgraph uses to admit the gateway's calls: the data directory's
 * secret ring (or `CHARTER_SUBGRAPH_SECRET`), this subgraph's name as the audience, and — when the
 * gateway section names Redis — nonces shared through Redis, so a request replayed to another
 * replica (or another subgraph process) is refused too.
 */
import Redis from 'ioredis';
import { createLogger } from '../core/logger';
import { createPrincipalVerifier, createRedisNonceStore, loadSubgraphSecret, type GatewayRequestVerifier, type NonceStore } from '../core/principal-signature';
import type { CharterConfig } from './config';

export interface ConfiguredVerifier {
  verify: GatewayRequestVerifier;
  close(): Promise<void>;
}

export function configuredSubgraphVerifier(config: CharterConfig, audience: string): ConfiguredVerifier {
  let nonces: NonceStore | undefined;
  let close = async (): Promise<void> => undefined;
  const redisUrl = config.gateway.redisUrl;
  if (redisUrl) {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    const logger = createLogger(`subgraph:${audience}`);
    redis.on('error', (err) => logger.warn({ err: String(err) }, 'Redis connection error: gateway calls are refused until the replay check is back'));
    nonces = createRedisNonceStore(redis);
    close = () => redis.quit().then(() => undefined, () => redis.disconnect());
  }
  return { verify: createPrincipalVerifier({ secret: loadSubgraphSecret(config.dataDir), audience, nonces }), close };
}
