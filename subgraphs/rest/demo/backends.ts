/** The four demo REST APIs, each its own server as separate teams' services would be. */
import { startRestBackend, type RestBackend } from '../backend/rest-backend';
import { DEMO_INVENTORY, DEMO_PRODUCTS, DEMO_REVIEWS, DEMO_USERS } from './data';
import { DEMO_OPENAPI } from './openapi';

export type DemoBackendName = 'users' | 'catalog' | 'inventory' | 'reviews';

export interface DemoBackendsOptions {
  /** Delay on every backend answer. */
  latencyMs?: number;
  host?: string;
}

export interface DemoBackends {
  backends: Record<DemoBackendName, RestBackend>;
  urls: Record<DemoBackendName, string>;
  close(): Promise<void>;
}

export async function startDemoBackends(options: DemoBackendsOptions = {}): Promise<DemoBackends> {
  const common = { latencyMs: options.latencyMs, host: options.host };
  const [users, catalog, inventory, reviews] = await Promise.all([
    startRestBackend({ name: 'users', openapi: DEMO_OPENAPI.users, collections: { users: DEMO_USERS }, ...common }),
    startRestBackend({ name: 'catalog', openapi: DEMO_OPENAPI.catalog, collections: { products: DEMO_PRODUCTS }, ...common }),
    startRestBackend({ name: 'inventory', openapi: DEMO_OPENAPI.inventory, collections: { inventory: DEMO_INVENTORY }, ...common }),
    startRestBackend({ name: 'reviews', openapi: DEMO_OPENAPI.reviews, collections: { reviews: DEMO_REVIEWS }, ...common }),
  ]);
  const backends = { users, catalog, inventory, reviews };
  return {
    backends,
    urls: { users: users.url, catalog: catalog.url, inventory: inventory.url, reviews: reviews.url },
    close: async () => {
      await Promise.all(Object.values(backends).map((backend) => backend.close()));
    },
  };
}
