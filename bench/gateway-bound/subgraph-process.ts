/**
 * A child of the gateway-bound benchmark: one in-memory subgraph, or the monolith, in a process of
 * its own (pinned by the parent to the core the gateway does not use).
 *
 *   node dist/bench/gateway-bound/subgraph-process.js '{"name":"products"}'   (or "monolith")
 */
import { reportFailure, reportReady, serveParent } from '../child-ipc';
import { monolithSchema, SUBGRAPH_FIXTURES } from './fixtures';
import { serveGraphQL } from './graphql-http';

async function main(): Promise<void> {
  const { name } = JSON.parse(process.argv[2] ?? '{}') as { name: string };
  if (name === 'monolith') {
    const { schema, rootValue } = monolithSchema();
    const server = await serveGraphQL(schema, rootValue);
    serveParent(() => server.close());
    reportReady({ url: server.url });
    return;
  }
  const fixture = SUBGRAPH_FIXTURES.find((f) => f.name === name);
  if (!fixture) throw new Error(`no in-memory subgraph named "${name}"`);
  const server = await serveGraphQL(fixture.schema());
  serveParent(() => server.close());
  reportReady({ url: server.url, typeDefs: fixture.typeDefs });
}

if (require.main === module) main().catch(reportFailure);
