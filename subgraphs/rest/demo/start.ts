/**
 * Run the whole demo data plane in-process: the four REST backends and the four subgraphs over
 * them, each on its own port. For tests, benchmarks and `charter dev`-like setups.
 */
import { startSubgraphServer } from '../../serve';
import { loadRestSubgraphFromFiles } from '../wrap/load';
import { startDemoBackends, type DemoBackends } from './backends';
import { DEMO_REST_SUBGRAPHS } from './index';

export interface RunningDemoSubgraph {
  name: string;
  /** The GraphQL endpoint (`.../graphql`). */
  url: string;
  typeDefs: string;
}

export interface DemoRestStack {
  backends: DemoBackends;
  subgraphs: RunningDemoSubgraph[];
  close(): Promise<void>;
}

export interface DemoRestStackOptions {
  latencyMs?: number;
  host?: string;
  /** Deadline for each REST call the subgraphs make. */
  timeoutMs?: number;
}

export async function startDemoRestStack(options: DemoRestStackOptions = {}): Promise<DemoRestStack> {
  const backends = await startDemoBackends({ latencyMs: options.latencyMs, host: options.host });
  const servers: Array<{ close(): Promise<void> }> = [];
  try {
    const subgraphs = await Promise.all(
      DEMO_REST_SUBGRAPHS.map(async (demo) => {
        const subgraph = await loadRestSubgraphFromFiles({ ...demo, baseUrl: backends.urls[demo.backend], timeoutMs: options.timeoutMs });
        // The caller's headers reach the mapping's `passHeaders` (e.g. an idempotency key on a write).
        const server = await startSubgraphServer({ name: demo.name, schema: subgraph.schema, host: options.host, context: async (req) => ({ headers: req.headers }) });
        servers.push(server);
        return { name: demo.name, url: `${server.url}/graphql`, typeDefs: subgraph.typeDefs };
      }),
    );
    return {
      backends,
      subgraphs,
      close: async () => {
        await Promise.all(servers.map((server) => server.close()));
        await backends.close();
      },
    };
  } catch (err) {
    await Promise.all(servers.map((server) => server.close()));
    await backends.close();
    throw err;
  }
}
