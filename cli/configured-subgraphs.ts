/** Build the REST-wrapped subgraphs that charter.config.yaml declares. */
import path from 'node:path';
import type { CharterConfig, RestSubgraphConfig } from './config';
import { createLogger, type Logger } from '../core/logger';
import { followLongPoll } from '../core/long-poll';
import { AI_SUBGRAPH } from '../gateway/ai-proxy';
import { RegistryClient } from '../schema-registry/client/registry-client';
import { FileUsageLedger, loadDemoTemplates, parseAiConfig, startAiSubgraphServer, type RunningAiSubgraphServer } from '../subgraphs/ai';
import { DEMO_REST_SUBGRAPHS } from '../subgraphs/rest/demo';
import type { DemoBackendName } from '../subgraphs/rest/demo/backends';
import type { ExtraResolvers, RestSubgraph } from '../subgraphs/rest/wrap/build';
import { loadRestSubgraphFromFiles } from '../subgraphs/rest/wrap/load';
import { configuredSubgraphVerifier } from './subgraph-verifier';
import { loadMetricsToken } from './gateway-from-config';

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

/** Where the AI subgraph takes its prompt templates from: a registry variant it follows. */
export interface AiRegistryFollow {
  registryUrl: string;
  variant: string;
  /** Registry token (read access is enough); default env CHARTER_REGISTRY_TOKEN. */
  token?: string;
  /** How long each long-poll waits for a change (default 25 s). */
  waitMs?: number;
  /** Pause after a failed poll before the next (default 1 s). */
  retryMs?: number;
}

/**
 * The AI subgraph from the config's `ai:` section (the local deterministic model by default), with
 * a usage ledger in the data directory and the gateway's signature required on every call.
 * Templates: with `follow`, the registry variant's stored set (the demo templates while it has
 * none), swapped in whenever the registry's set changes (long-polled `GET …/prompts`); without
 * it, the demo templates.
 */
export async function startConfiguredAiSubgraph(config: CharterConfig, listen: { port?: number; host?: string }, follow?: AiRegistryFollow): Promise<RunningAiSubgraphServer> {
  const logger = createLogger('subgraph:ai');
  const client = follow && new RegistryClient(follow.registryUrl.replace(/\/+$/, ''), follow.token ?? (process.env.CHARTER_REGISTRY_TOKEN || undefined));
  let initial: { templates: unknown[] | null; etag: string } | null = null;
  if (client && follow) {
    initial = await client.fetchPrompts(follow.variant).catch((err: unknown) => {
      logger.warn({ err }, 'cannot read prompt templates from the registry; starting with the demo templates');
      return null;
    });
  }
  const ledger = await FileUsageLedger.open({ path: path.join(config.dataDir, 'ai-usage.jsonl') });
  const verifier = configuredSubgraphVerifier(config, AI_SUBGRAPH);
  try {
    const server = await startAiSubgraphServer({
      ...listen,
      config: parseAiConfig(config.ai),
      ledger,
      templates: initial?.templates ?? loadDemoTemplates(),
      verify: verifier.verify,
      metricsToken: loadMetricsToken(config.dataDir),
    });
    const stopFollowing = client && follow ? followRegistryTemplates(client, follow, server, initial?.etag, logger) : () => Promise.resolve();
    return { ...server, close: () => stopFollowing().then(() => server.close()).finally(() => Promise.all([ledger.close(), verifier.close()])) };
  } catch (err) {
    await Promise.all([ledger.close(), verifier.close()]);
    throw err;
  }
}

/** Long-polls the registry for the variant's template set and applies each new one; returns the stop function. */
function followRegistryTemplates(client: RegistryClient, follow: AiRegistryFollow, server: RunningAiSubgraphServer, etag: string | undefined, logger: Logger): () => Promise<void> {
  const poll = followLongPoll({
    fetch: async (known, waitMs, signal) => {
      const answer = await client.fetchPrompts(follow.variant, { etag: known, waitMs, signal });
      return answer && { etag: answer.etag, value: answer };
    },
    etag,
    waitMs: follow.waitMs,
    retryDelayMs: follow.retryMs,
    apply: (answer) => {
      // No stored set yet (nothing seeded): keep serving what we have.
      if (!answer.templates) return;
      const outcome = server.setTemplates(answer.templates);
      if (outcome.status === 'invalid') logger.error({ problems: outcome.problems }, 'the registry sent prompt templates this subgraph cannot serve; keeping the current ones');
      else logger.info({ version: answer.versionId, templates: answer.templates.length }, 'prompt templates updated from the registry');
    },
    onError: (err) => logger.warn({ err }, 'cannot poll the registry for prompt templates; retrying'),
  });
  return () => poll.stop();
}
