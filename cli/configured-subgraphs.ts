/** Build the REST-wrapped subgraphs that charter.config.yaml declares. */
import path from 'node:path';
import type { CharterConfig, RestSubgraphConfig } from '../core/config';
import { createPrincipalVerifier, loadSubgraphSecret } from '../core/principal-signature';
import { FileUsageLedger, loadDemoTemplates, parseAiConfig, startAiSubgraphServer, type RunningAiSubgraphServer } from '../subgraphs/ai';
import { DEMO_REST_SUBGRAPHS } from '../subgraphs/rest/demo';
import type { DemoBackendName } from '../subgraphs/rest/demo/backends';
import type { ExtraResolvers, RestSubgraph } from '../subgraphs/rest/wrap/build';
import { loadRestSubgraphFromFiles } from '../subgraphs/rest/wrap/load';

const DEMO_PREFIX = 'demo:';

/** The demo backends a config refers to (`baseUrl: demo:NAME`). */
export function demoBackendsUsed(config: CharterConfig): DemoBackendName[] {
  return config.subgraphs.filter((s) => s.baseUrl.startsWith(DEMO_PREFIX)).map((s) => s.baseUrl.slice(DEMO_PREFIX.length) as DemoBackendName);
}

export async function buildConfiguredSubgraph(config: CharterConfig, sub: RestSubgraphConfig, demoUrls: Partial<Record<string, string>>): Promise<RestSubgraph> {
  let baseUrl = sub.baseUrl;
  if (baseUrl.startsWith(DEMO_PREFIX)) {
    const url = demoUrls[baseUrl.slice(DEMO_PREFIX.length)];
    if (!url) throw new Error(`subgraphs.${sub.name}.baseUrl: no demo backend named "${baseUrl.slice(DEMO_PREFIX.length)}" (have: users, catalog, inventory, reviews)`);
    baseUrl = url;
  }
  return loadRestSubgraphFromFiles({
    name: sub.name,
    schemaFile: path.resolve(config.configDir, sub.schema),
    mappingFile: path.resolve(config.configDir, sub.mapping),
    baseUrl,
    resolvers: sub.resolvers ? loadResolvers(config, sub.name, sub.resolvers) : undefined,
    timeoutMs: sub.timeoutMs,
  });
}

function loadResolvers(config: CharterConfig, name: string, ref: string): ExtraResolvers {
  if (ref.startsWith(DEMO_PREFIX)) {
    const demo = DEMO_REST_SUBGRAPHS.find((d) => d.name === ref.slice(DEMO_PREFIX.length));
    if (!demo?.resolvers) throw new Error(`subgraphs.${name}.resolvers: no demo resolvers named "${ref}"`);
    return demo.resolvers as ExtraResolvers;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(path.resolve(config.configDir, ref));
  return (loaded.resolvers ?? loaded.default ?? loaded) as ExtraResolvers;
}

/**
 * The AI subgraph from the config's `ai:` section (the local deterministic model by default), with
 * the demo prompt templates, a usage ledger in the data directory, and the gateway's signature
 * required on every call.
 */
export async function startConfiguredAiSubgraph(config: CharterConfig, listen: { port?: number; host?: string }): Promise<RunningAiSubgraphServer> {
  const ledger = await FileUsageLedger.open({ path: path.join(config.dataDir, 'ai-usage.jsonl') });
  try {
    const server = await startAiSubgraphServer({
      ...listen,
      config: parseAiConfig(config.ai),
      ledger,
      templates: loadDemoTemplates(),
      verify: createPrincipalVerifier({ secret: loadSubgraphSecret(config.dataDir) }),
    });
    return { ...server, close: () => server.close().finally(() => ledger.close()) };
  } catch (err) {
    await ledger.close();
    throw err;
  }
}
