/** Start a registry: a file store under `dataDir`, the publisher, and its HTTP API. */
import path from 'node:path';
import { listen, type RunningServer } from '../core/http';
import { createLogger, type Logger } from '../core/logger';
import { createRegistryHandler } from './http-api';
import { SchemaPublisher } from './publisher';
import { FileRegistryStore } from './store/file-store';
import type { RegistryStore } from './store/registry-store';

export interface RegistryOptions {
  dataDir: string;
  port?: number;
  host?: string;
  store?: RegistryStore;
  logger?: Logger;
}

export interface RunningRegistry extends RunningServer {
  publisher: SchemaPublisher;
}

export async function startRegistry(options: RegistryOptions): Promise<RunningRegistry> {
  const logger = options.logger ?? createLogger('registry');
  const store = options.store ?? new FileRegistryStore(path.join(options.dataDir, 'registry'));
  const publisher = new SchemaPublisher(store);
  publisher.on('published', (v) => logger.info({ variant: v.variant, version: v.id, subgraph: v.subgraph }, 'published a new supergraph'));
  const server = await listen(createRegistryHandler(publisher), {
    port: options.port,
    host: options.host,
    onError: (err) => logger.error({ err }, 'registry request failed'),
  });
  return {
    ...server,
    publisher,
    close: async () => {
      await server.close();
      await store.close();
    },
  };
}
