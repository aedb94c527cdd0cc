/** The gateway's options from charter.config.yaml: keys, JWT, tenants, the subgraph secret. */
import type { CharterConfig } from '../core/config';
import type { Logger } from '../core/logger';
import { loadSubgraphSecret } from '../core/principal-signature';
import { ApiKeyDirectory, ensureDemoKeys, type DemoKey } from '../gateway/auth/api-keys';
import { createJwtVerifier } from '../gateway/auth/jwt';
import type { GatewayOptions } from '../gateway/server';
import type { SupergraphSource } from '../gateway/supergraph/supergraph-source';
import { TenantDirectory } from '../gateway/tenants/tenant-directory';

export function gatewayOptionsFromConfig(config: CharterConfig, source: SupergraphSource, logger: Logger): { options: GatewayOptions; demoKeys: DemoKey[] } {
  const hasDemo = config.tenants.some((t) => t.apiKeys.some((k) => 'demo' in k));
  const demoKeys = hasDemo ? ensureDemoKeys(config.dataDir, config.tenants) : [];
  const tenantIds = new Set(config.tenants.map((t) => t.id));
  return {
    demoKeys,
    options: {
      source,
      keys: new ApiKeyDirectory(config.tenants, demoKeys),
      jwt: config.auth.jwt ? createJwtVerifier(config.auth.jwt, (id) => tenantIds.has(id)) : undefined,
      tenants: new TenantDirectory(config.tenants),
      subgraphSecret: loadSubgraphSecret(config.dataDir),
      port: config.gateway.port,
      host: config.gateway.host,
      maxBodyBytes: config.gateway.maxBodyBytes,
      introspection: config.gateway.introspection,
      logger,
    },
  };
}
