/**
 * The Kubernetes manifests a user applies: they parse, the parts find each other (service names,
 * ports, Redis URL), probes hit the endpoints the gateway really serves, and the gateway runs as
 * several replicas with the secrets it needs. (No cluster here: this checks what can be checked.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadConfig } from '../core/config';
import { parseRegistryTokens } from '../schema-registry/auth';
import { assertSecureStart } from '../schema-registry/server';
import { REPO_ROOT } from './support/charter-process';

const dir = path.join(REPO_ROOT, 'deploy/kubernetes');
const docs = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()))
  .filter(Boolean);
const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

test('every manifest parses and lives in the charter namespace', () => {
  expect(docs.length).toBeGreaterThanOrEqual(9);
  for (const d of docs.filter((d) => d.kind !== 'Namespace')) expect(d.metadata.namespace).toBe('charter');
});

test('gateway replicas share Redis, find the registry, and are probed on /ready and /health', () => {
  const gateway = find('Deployment', 'charter-gateway');
  expect(gateway.spec.replicas).toBeGreaterThanOrEqual(2);
  const container = gateway.spec.template.spec.containers[0];
  expect(container.readinessProbe.httpGet.path).toBe('/ready');
  expect(container.livenessProbe.httpGet.path).toBe('/health');
  const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
  expect(env.REDIS_URL).toBe('redis://charter-redis.charter.svc.cluster.local:6379');
  expect(env.CHARTER_SUBGRAPH_SECRET.secretKeyRef.name).toBe('charter-secrets');
  expect(find('Service', 'charter-redis').spec.ports[0].port).toBe(6379);
  const config = YAML.parse(find('ConfigMap', 'charter-config').data['charter.config.yaml']);
  expect(config.registry.url).toBe(`http://charter-registry.charter.svc.cluster.local:${find('Service', 'charter-registry').spec.ports[0].port}`);
  expect(config.gateway.host).toBe('0.0.0.0');
});

test('the image runs the charter CLI the README documents', () => {
  const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'deploy/Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/ENTRYPOINT \["node", "bin\/charter.js"\]/);
  for (const d of docs.filter((d) => d.kind === 'Deployment' && d.metadata.name !== 'charter-redis')) {
    expect(d.spec.template.spec.containers[0].image).toBe('charter:0.1.0');
    expect(['gateway', 'registry']).toContain(d.spec.template.spec.containers[0].args[2]);
  }
});

test('the ConfigMap holds a configuration Charter accepts', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'charter-k8s-')), 'charter.config.yaml');
  fs.writeFileSync(file, find('ConfigMap', 'charter-config').data['charter.config.yaml']);
  const config = loadConfig(file, { REDIS_URL: 'redis://charter-redis.charter.svc.cluster.local:6379' });
  expect(config.gateway.redisUrl).toBe('redis://charter-redis.charter.svc.cluster.local:6379');
  expect(config.gateway.introspection).toBe(false);
  // The registry answers to its service names (Host check) and nothing ships as an empty list.
  expect(config.registry.allowedHosts).toContain(new URL(config.registry.url!).hostname);
  expect(find('ConfigMap', 'charter-config').data['charter.config.yaml']).not.toMatch(/\[\]/);
});

test('the shipped registry tokens are a placeholder the registry refuses, never an empty (open) list', () => {
  const secret = find('Secret', 'charter-secrets').stringData;
  expect(secret.CHARTER_REGISTRY_TOKENS).not.toBe('[]');
  expect(() => parseRegistryTokens(secret.CHARTER_REGISTRY_TOKENS)).toThrow(/CHARTER_REGISTRY_TOKENS: not valid JSON/);
  expect(() => assertSecureStart({ tokens: [], insecureDev: false, host: '0.0.0.0' })).toThrow(/the registry has no tokens/);
});
