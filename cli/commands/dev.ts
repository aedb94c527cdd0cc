/**
 * `charter dev` (= `npm start`): the whole product on one machine: the demo REST APIs, the
 * REST-wrapped subgraphs, the registry (file store), and the gateway, with demo tenants' keys.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type CharterConfig } from '../config';
import { createLogger } from '../../core/logger';
import type { DemoKey } from '../../gateway/auth/api-keys';
import { configuredSubgraphVerifier } from '../subgraph-verifier';
import { RegistryClient, type RegistryResponse } from '../../schema-registry/client/registry-client';
import { startRegistry } from '../../schema-registry/server';
import { loadDemoTemplates } from '../../subgraphs/ai';
import { startDemoBackends, type DemoBackends } from '../../subgraphs/rest/demo/backends';
import { startSubgraphServer } from '../../subgraphs/serve';
import { buildConfiguredSubgraph, demoBackendsUsed, startConfiguredAiSubgraph } from '../configured-subgraphs';
import { loadMetricsToken, startGatewayFromConfig } from '../gateway-from-config';
import { stopOnSignals } from '../lifecycle';
import { describeRefusals, refusedPublishOf, resetEmbeddedState, type RefusedPublish } from '../dev-recovery';
import { cliRegistryToken, ensureDevRegistryTokens } from '../registry-token';
import { parseRegistryTokens } from '../../schema-registry/auth';
import { configuredTenantRecords, ensureDemoConsoleUsers, seedDemoConsoleUsers, type DemoConsoleUser } from './dev-console';

/** Ports are fixed offsets from the gateway's, so subgraph URLs in the registry stay valid across restarts. */
export const PORT_OFFSETS = { registry: 1, firstSubgraph: 10 } as const;

export function register(program: Command): void {
  program
    .command('dev')
    .description('run the whole stack on this machine (what `npm start` runs)')
    .option('--reset', 'wipe the embedded registry state (versions, tenants, usage) after a confirmation, then start')
    .option('--yes', 'with --reset: do not ask (for scripts)')
    .option('--force <reason>', 'publish the configured schemas even where usage checks or lint refuse them (never composition); the reason is kept in the version')
    .action(async (opts: { reset?: boolean; yes?: boolean; force?: string }) => {
      // Quiet by default for every part: a newcomer should see the banner (LOG_LEVEL=info for more).
      process.env.LOG_LEVEL ??= 'warn';
      const config = loadConfig(program.opts().config);
      if (opts.reset) {
        if (config.registry.url) throw new Error(`--reset wipes only the embedded registry; this configuration uses the registry at ${config.registry.url}`);
        if (process.env.CHARTER_REGISTRY_STORE === 'redis') throw new Error('--reset wipes only the file-based embedded registry; CHARTER_REGISTRY_STORE=redis keeps its state in Redis');
        if (!(await resetEmbeddedState({ dataDir: config.dataDir, yes: opts.yes === true }))) return;
      }
      if (opts.force !== undefined && opts.force.trim().length < 3) throw new Error('--force needs a reason: charter dev --force "why the configured schemas must win"');
      const stack = await startDevStack(config, { forceReason: opts.force?.trim() });
      process.stdout.write(banner(config, stack));
      process.stdout.write(describeRefusals(stack.refusedPublishes, stack.liveVersion));
      stopOnSignals([stack]);
    });
}

export interface DevStack {
  gatewayUrl: string;
  registryUrl: string;
  /** The embedded registry's admin token (also in demo-keys.json); null when the registry runs elsewhere. */
  registryAdminToken: string | null;
  /** The console's demo users (also in demo-keys.json); empty when the registry runs elsewhere. */
  consoleUsers: DemoConsoleUser[];
  demoKeys: DemoKey[];
  /** Configured schemas the registry refused; the stack serves its live version instead. */
  refusedPublishes: RefusedPublish[];
  /** The variant's live version id once everything is published (null when none). */
  liveVersion: number | null;
  /** The demo REST APIs, when the config uses them (tests read their request counts). */
  demo: DemoBackends | null;
  close(): Promise<void>;
}

export interface DevStackOptions {
  /** Publish configured schemas past failed usage and lint checks (admin token), with this reason. */
  forceReason?: string;
}

export async function startDevStack(config: CharterConfig, options: DevStackOptions = {}): Promise<DevStack> {
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
    let consoleUsers: DemoConsoleUser[] = [];
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
        // The console: configured tenants become registry records on their first approved access request.
        console: { baseTenant: (variant, id) => (variant === config.gateway.variant ? configuredTenantRecords(config.dataDir, config.tenants)(id) : null) },
      });
      closers.push(registry.close);
      consoleUsers = ensureDemoConsoleUsers(config.dataDir, config.tenants);
      await seedDemoConsoleUsers(registry.console, consoleUsers);
      registryUrl = registry.url;
      adminToken = dev.adminToken;
      gatewayToken = dev.gatewayToken;
      registryAdminToken = dev.adminToken;
    }

    const demo = demoBackendsUsed(config).length ? await startDemoBackends({ host }) : null;
    if (demo) closers.push(demo.close);

    const client = new RegistryClient(registryUrl, adminToken);
    const variant = config.gateway.variant;
    const force = options.forceReason ? { reason: options.forceReason } : undefined;
    const refusedPublishes: RefusedPublish[] = [];
    // A refused configured schema must not end the stack while the registry has a live version to serve.
    const settle = async (subgraph: string, published: { status: number; body: any }): Promise<void> => {
      if (published.status < 300) return;
      if (published.status === 401 || published.status === 403 || !(await client.fetchSupergraph(variant).catch(() => null))) {
        throw new Error(`publishing subgraph "${subgraph}" failed: ${published.body?.error?.message ?? published.status}`);
      }
      refusedPublishes.push(refusedPublishOf(subgraph, published));
    };
    for (const [index, sub] of config.subgraphs.entries()) {
      const built = await buildConfiguredSubgraph(config, sub, demo?.urls ?? {});
      const verifier = configuredSubgraphVerifier(config, sub.name);
      closers.push(verifier.close);
      const server = await startSubgraphServer({ name: sub.name, schema: built.schema, port: base + PORT_OFFSETS.firstSubgraph + index, host, verify: verifier.verify, cacheMaxAgeSec: sub.cacheMaxAgeSec });
      closers.push(server.close);
      await settle(sub.name, await client.publish(variant, { name: sub.name, url: `${server.url}/graphql`, sdl: built.typeDefs, owner: sub.owner, author: 'charter dev', ...(force ? { force } : {}) }));
    }

    // The AI subgraph serves the registry's prompt templates and follows their changes.
    const ai = await startConfiguredAiSubgraph(config, { port: base + PORT_OFFSETS.firstSubgraph + config.subgraphs.length, host }, { registryUrl, variant: config.gateway.variant, token: gatewayToken });
    closers.push(ai.close);
    await settle('ai', await publishAiSubgraph(client, variant, `${ai.url}/graphql`));

    const started = await startGatewayFromConfig(config, { registryUrl, registryToken: gatewayToken, port: base, host, logger: logger.child({ part: 'gateway' }) });
    closers.push(started.close);
    const { gateway, demoKeys } = started;
    await gateway.ready;
    const live = await client.fetchSupergraph(variant).catch(() => null);
    return { gatewayUrl: `${gateway.url}/graphql`, registryUrl, registryAdminToken, consoleUsers, refusedPublishes, liveVersion: live?.id ?? null, demoKeys, demo, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Publishes subgraph `ai` at its URL with the registry's template set, seeding the registry with
 * the demo templates the first time (when it stores none).
 */
async function publishAiSubgraph(client: RegistryClient, variant: string, url: string): Promise<RegistryResponse> {
  const stored = await client.fetchPrompts(variant);
  const templates = stored?.templates ?? loadDemoTemplates();
  return client.replacePrompts(variant, templates, { url, owner: 'team-ai', author: 'charter dev' });
}

function banner(config: CharterConfig, stack: DevStack): string {
  const first = stack.demoKeys[0];
  // Loopback is shown as `localhost`, the name a newcomer types (curl and browsers try both stacks).
  const endpoint = stack.gatewayUrl.replace('//127.0.0.1:', '//localhost:');
  const lines = [
    '',
    'Charter is running.',
    `  GraphQL endpoint  ${endpoint}`,
    `  GraphiQL          ${endpoint}${first ? `#key=${first.apiKey}` : ''}   (open in a browser)`,
    `  Registry          ${stack.registryUrl.replace('//127.0.0.1:', '//localhost:')}`,
    ...(stack.registryAdminToken
      ? [`  Registry token    ${stack.registryAdminToken}   (admin; header "Authorization: Bearer …"; the charter CLI reads it from ${keysFile(config)} or CHARTER_REGISTRY_TOKEN)`]
      : []),
    ...(stack.consoleUsers.length ? [`  Console           ${stack.registryUrl.replace('//127.0.0.1:', '//localhost:')}/console   (sign in with a login below)`] : []),
    `  Metrics           ${endpoint.replace(/\/graphql$/, '/metrics')}   (header "Authorization: Bearer ${loadMetricsToken(config.dataDir)}"; or set CHARTER_METRICS_TOKEN)`,
    '',
  ];
  if (stack.demoKeys.length) {
    lines.push(`Demo tenants and their API keys (header x-api-key; also in ${keysFile(config)}):`);
    for (const k of stack.demoKeys) lines.push(`  ${k.tenant.padEnd(10)} ${k.apiKey}   ${[k.description, planSummary(config, k.tenant)].filter(Boolean).join('; ')}`);
    lines.push('');
    if (stack.consoleUsers.length) {
      lines.push(`Console logins (also in ${keysFile(config)}):`);
      for (const u of stack.consoleUsers) lines.push(`  ${u.username.padEnd(16)} ${u.password}   ${u.note}`);
      lines.push('');
    }
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

/** "30 requests/min, burst 10": what a demo tenant's plan allows, so a 429 is no surprise. */
function planSummary(config: CharterConfig, tenantId: string): string {
  const rate = config.tenants.find((t) => t.id === tenantId)?.plan.rateLimit;
  if (!rate?.requestsPerMinute) return '';
  return `${rate.requestsPerMinute} requests/min${rate.burst ? `, burst ${rate.burst}` : ''}`;
}
