/**
 * A child process of the gateway benchmark: either the four demo REST backends, or one demo REST
 * subgraph (its own process, so the gateway under test never shares an event loop with it).
 * Subgraphs run WITHOUT the gateway-signature check, so plain Apollo Gateway and Hive Gateway
 * can call them too, and they send `Cache-Control: max-age=60` so Charter's response cache may
 * store answers (the cache-hit case).
 *
 *   node dist/bench/stack-process.js '{"role":"backends"}'
 *   node dist/bench/stack-process.js '{"role":"subgraph","name":"products","baseUrl":"http://…"}'
 */
import { startSubgraphServer } from '../subgraphs/serve';
import { DEMO_REST_SUBGRAPHS } from '../subgraphs/rest/demo';
import { startDemoBackends } from '../subgraphs/rest/demo/backends';
import { loadRestSubgraphFromFiles } from '../subgraphs/rest/wrap/load';
import { reportFailure, reportReady, serveParent } from './child-ipc';

export type StackRole = { role: 'backends' } | { role: 'subgraph'; name: string; baseUrl: string; cacheMaxAgeSec?: number };

async function main(): Promise<void> {
  const role = JSON.parse(process.argv[2] ?? '{}') as StackRole;
  if (role.role === 'backends') {
    const backends = await startDemoBackends({ host: '127.0.0.1' });
    serveParent(() => backends.close());
    reportReady({ url: '', urls: backends.urls });
    return;
  }
  const demo = DEMO_REST_SUBGRAPHS.find((d) => d.name === role.name);
  if (!demo) throw new Error(`no demo subgraph named "${role.name}"`);
  const subgraph = await loadRestSubgraphFromFiles({ ...demo, baseUrl: role.baseUrl });
  const server = await startSubgraphServer({ name: demo.name, schema: subgraph.schema, host: '127.0.0.1', cacheMaxAgeSec: role.cacheMaxAgeSec ?? 60 });
  serveParent(() => server.close());
  reportReady({ url: `${server.url}/graphql`, typeDefs: subgraph.typeDefs });
}

if (require.main === module) main().catch(reportFailure);
