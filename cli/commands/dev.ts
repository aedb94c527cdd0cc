/**
 * `charter dev` (= `npm start`): the whole product on one machine: the demo REST APIs, the
 * REST-wrapped subgraphs, the registry (file store), and the gateway, with demo tenants' keys.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type CharterConfig } from '../../core/config';
import { createLogger } from '../../core/logger';
import type { DemoKey } from '../../gateway/auth/api-keys';
import { createPrincipalVerifier, loadSubgraphSecret } from '../../core/principal-signature';
import { RegistryClient } from '../../schema-registry/client';
import { startRegistry } from '../../schema-registry/server';
import { loadDemoTemplates } from '../../subgraphs/ai';
import { startDemoBackends, type DemoBackends } from '../../subgraphs/rest/demo/backends';
import { startSubgraphServer } from '../../subgraphs/serve';
import { buildConfiguredSubgraph, demoBackendsUsed, startConfiguredAiSubgraph } from '../configured-subgraphs';
import { startGatewayFromConfig } from '../gateway-from-config';
import { stopOnSignals } from '../lifecycle';
import { cliRegistryToken, ensureDevRegistryTokens } from '../registry-token';
import { parseRegistryTokens } from '../../schema-registry/auth';

/** Ports are fixed offsets from the gateway's, so subgraph URLs in the registry stay valid across restarts. */
export const PORT_OFFSETS = { registry: 1, firstSubgraph: 10 } as const;

export function register(program: Command): void {
  program
    .command('dev')
    .description('run the whole stack on this machine (what `npm start` runs)')
    .action(async () => {
      // Quiet by default for every part: a newcomer should see the banner (LOG_LEVEL=info for more).
      process.env.LOG_LEVEL ??= 'warn';
      const config = loadConfig(program.opts().config);
      const stack = await startDevStack(config);
      process.stdout.write(banner(config, stack));
      stopOnSignals([stack]);
    });
}

export interface DevStack {
  gatewayUrl: string;
  registryUrl: string;
  /** The embedded registry's admin token (also in demo-keys.json); null when the registry runs elsewhere. */
  registryAdminToken: string | null;
  demoKeys: DemoKey[];
  /** The demo REST APIs, when the config uses them (tests read their request counts). */
  demo: DemoBackends | null;
  close(): Promise<void>;
}

export async function startDevStack(config: CharterConfig): Promise<DevStack> {
  const logger = createLogger('charter');
  const host = config.gateway.host;
  const base = config.gateway.port;
  const closers: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    let registryUrl = config.registry.url;
    // With a registry elsewhere, this stack is a client like any other (CHARTER_REGISTRY_TOKEN);
    // the embedded one gets an admin token for the developer and a read + usage one for the gateway.
    let adminToken = cliRegistryToken(undefined);
    let gatewayToken = adminToken;
    let registryAdminToken: string | null = null;
    if (!registryUrl) {
      const dev = ensureDevRegistryTokens(config.dataDir);
      const fromEnv = process.env.CHARTER_REGISTRY_TOKENS ? parseRegistryTokens(process.env.CHARTER_REGISTRY_TOKENS) : [];
      const registry = await startRegistry({
        dataDir: config.dataDir,
        port: config.registry.port ?? base + PORT_OFFSETS.registry,
        host,
        logger: logger.child({ part: 'registry' }),
        governance: config.governance,
        tokens: [...dev.tokens, ...fromEnv],
        allowedHosts: config.registry.allowedHosts,
        allowedOrigins: config.registry.allowedOrigins,
      });
      closers.push(registry.close);
      registryUrl = registry.url;
      adminToken = dev.adminToken;
      gatewayToken = dev.gatewayToken;
      registryAdminToken = dev.adminToken;
    }

    const demo = demoBackendsUsed(config).length ? await startDemoBackends({ host }) : null;
    if (demo) closers.push(demo.close);

    const client = new RegistryClient(registryUrl, adminToken);
    for (const [index, sub] of config.subgraphs.entries()) {
      const built = await buildConfiguredSubgraph(config, sub, demo?.urls ?? {});
      const server = await startSubgraphServer({ name: sub.name, schema: built.schema, port: base + PORT_OFFSETS.firstSubgraph + index, host, verify: createPrincipalVerifier({ secret: loadSubgraphSecret(config.dataDir) }), cacheMaxAgeSec: sub.cacheMaxAgeSec });
      closers.push(server.close);
      const published = await client.publish(config.gateway.variant, { name: sub.name, url: `${server.url}/graphql`, sdl: built.typeDefs, owner: sub.owner, author: 'charter dev' });
      if (published.status >= 300) throw new Error(`publishing subgraph "${sub.name}" failed: ${published.body?.error?.message ?? published.status}`);
    }

    // The AI subgraph serves the registry's prompt templates and follows their changes.
    const ai = await startConfiguredAiSubgraph(config, { port: base + PORT_OFFSETS.firstSubgraph + config.subgraphs.length, host }, { registryUrl, variant: config.gateway.variant, token: gatewayToken });
    closers.push(ai.close);
    await publishAiSubgraph(client, config.gateway.variant, `${ai.url}/graphql`);

    const started = await startGatewayFromConfig(config, { registryUrl, registryToken: gatewayToken, port: base, host, logger: logger.child({ part: 'gateway' }) });
    closers.push(started.close);
    const { gateway, demoKeys } = started;
    await gateway.ready;
    return { gatewayUrl: `${gateway.url}/graphql`, registryUrl, registryAdminToken, demoKeys, demo, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Publishes subgraph `ai` at its URL with the registry's template set, seeding the registry with
 * the demo templates the first time (when it stores none).
 */
async function publishAiSubgraph(client: RegistryClient, variant: string, url: string): Promise<void> {
  const stored = await client.fetchPrompts(variant);
  const templates = stored?.templates ?? loadDemoTemplates();
  const published = await client.replacePrompts(variant, templates, { url, owner: 'team-ai', author: 'charter dev' });
  if (published.status >= 300) throw new Error(`publishing subgraph "ai" failed: ${published.body?.error?.message ?? published.status}`);
}

function banner(config: CharterConfig, stack: DevStack): string {
  const first = stack.demoKeys[0];
  // Loopback is shown as `localhost`, the name a newcomer types (curl and browsers try both stacks).
  const endpoint = stack.gatewayUrl.replace('//127.0.0.1:', '//localhost:');
  const lines = [
    '',
    'Charter is running.',
    `  GraphQL endpoint  ${endpoint}`,
    `  GraphiQL          ${endpoint}${first ? `?key=${first.apiKey}` : ''}   (open in a browser)`,
    `  Registry          ${stack.registryUrl.replace('//127.0.0.1:', '//localhost:')}`,
    ...(stack.registryAdminToken
      ? [`  Registry token    ${stack.registryAdminToken}   (admin; header "Authorization: Bearer …"; the charter CLI reads it from ${keysFile(config)} or CHARTER_REGISTRY_TOKEN)`]
      : []),
    '',
  ];
  if (stack.demoKeys.length) {
    lines.push(`Demo tenants and their API keys (header x-api-key; also in ${keysFile(config)}):`);
    for (const k of stack.demoKeys) lines.push(`  ${k.tenant.padEnd(10)} ${k.apiKey}   ${k.description ?? ''}`);
    lines.push('');
    lines.push('Try it:');
    lines.push(
      `  curl -s ${endpoint} -H 'content-type: application/json' -H 'x-api-key: ${first!.apiKey}' \\`,
      `    -d '{"query":"{ products(first: 2) { name price inStock reviews { rating author { name } } } }"}'`,
      '',
    );
  }
  return lines.join('\n') + '\n';
}

function keysFile(config: CharterConfig): string {
  return path.relative(process.cwd(), path.join(config.dataDir, 'demo-keys.json')) || 'demo-keys.json';
}
