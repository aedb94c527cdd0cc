/**
 * TenantDirectory swaps tenants at run time without ever serving an old policy: a changed policy
 * is compiled afresh (never from the memo of the old one) and gets a new policy version, an
 * unchanged one keeps its compiled entry and version, and a policy that does not parse fails closed.
 */
import type { Tenant } from '../../tenancy/tenant';
import { schema } from '../policy/policy-fixtures';
import { mergeTenants, tenantFromRegistry } from './registry-tenant-source';
import { TenantDirectory } from './tenant-directory';

const tenant = (id: string, policy?: unknown, extra: Partial<Tenant> = {}): Tenant => ({ id, roles: [], scopes: [], plan: {}, apiKeys: [], ...(policy === undefined ? {} : { policy }), ...extra });
const who = { roles: [], scopes: [] };

function allows(directory: TenantDirectory, id: string, coordinate: string): boolean | 'none' | 'invalid' {
  const entry = directory.policyFor(id, schema);
  if (entry.status !== 'compiled') return entry.status;
  const [type, field] = coordinate.split('.') as [string, string];
  return entry.policy.decisionsFor(who)(type, field);
}

test('a changed policy is compiled afresh and changes the policy version; the old compiled entry is never served', () => {
  const directory = new TenantDirectory([tenant('acme', { fallback: 'allow' })]);
  expect(allows(directory, 'acme', 'User.email')).toBe(true);
  const before = directory.policyFor('acme', schema);
  const versionBefore = directory.policyVersion('acme');
  expect(versionBefore).toBe('config:acme');

  const result = directory.update([tenant('acme', { fallback: 'allow', rules: { 'User.email': 'deny' } })]);
  expect(result).toEqual({ changed: ['acme'], invalid: [] });
  expect(allows(directory, 'acme', 'User.email')).toBe(false);
  expect(directory.policyFor('acme', schema)).not.toBe(before);
  // Same label ("config:acme"), new content: the version must still move, and never come back.
  const versionAfter = directory.policyVersion('acme');
  expect(versionAfter).not.toBe(versionBefore);
  directory.update([tenant('acme', { fallback: 'deny' })]);
  expect(new Set([versionBefore, versionAfter, directory.policyVersion('acme')]).size).toBe(3);
  expect(allows(directory, 'acme', 'User.name')).toBe(false);
});

test('going back to an earlier policy reuses its version (same content, same answers)', () => {
  const a = { fallback: 'allow' };
  const b = { fallback: 'deny' };
  const directory = new TenantDirectory([tenant('acme', a)]);
  const first = directory.policyVersion('acme');
  directory.update([tenant('acme', b)]);
  directory.update([tenant('acme', a)]);
  expect(directory.policyVersion('acme')).toBe(first);
  expect(allows(directory, 'acme', 'User.name')).toBe(true);
});

test('registry labels: a new label with the same rules keeps the compiled entry; new rules under a new label recompile', () => {
  const directory = new TenantDirectory([]);
  directory.update([tenant('acme', { version: 'registry:prod:1', fallback: 'allow' })]);
  const compiled = directory.policyFor('acme', schema);
  expect(directory.policyVersion('acme')).toBe('registry:prod:1');
  // Only an API key changed in the registry: the tenant version moved, the policy did not.
  directory.update([tenant('acme', { version: 'registry:prod:2', fallback: 'allow' }, { apiKeys: [{ id: 'k', sha256: 'a'.repeat(64) }] })]);
  expect(directory.policyFor('acme', schema)).toBe(compiled);
  expect(directory.policyVersion('acme')).toBe('registry:prod:1');
  directory.update([tenant('acme', { version: 'registry:prod:3', fallback: 'deny' })]);
  expect(directory.policyFor('acme', schema)).not.toBe(compiled);
  expect(directory.policyVersion('acme')).toBe('registry:prod:3');
});

test('unchanged tenants keep their compiled entries across an update of others', () => {
  const directory = new TenantDirectory([tenant('acme', { fallback: 'allow' }), tenant('beta', { fallback: 'deny' })]);
  const acme = directory.policyFor('acme', schema);
  const result = directory.update([tenant('acme', { fallback: 'allow' }), tenant('beta', { fallback: 'allow' })]);
  expect(result.changed).toEqual(['beta']);
  expect(directory.policyFor('acme', schema)).toBe(acme);
  expect(allows(directory, 'beta', 'User.name')).toBe(true);
});

test('tenants added and removed; `tenants` follows the update', () => {
  const directory = new TenantDirectory([tenant('acme', { fallback: 'deny' })]);
  const result = directory.update([tenant('beta', { fallback: 'allow' })]);
  expect(result.changed).toEqual(['acme', 'beta']);
  expect([...directory.tenants.keys()]).toEqual(['beta']);
  expect(directory.policyFor('acme', schema)).toEqual({ status: 'none' });
  expect(directory.policyVersion('acme')).toBe('none');
  expect(allows(directory, 'beta', 'User.name')).toBe(true);
});

test('a policy that does not parse fails closed at run time (the constructor refuses it)', () => {
  expect(() => new TenantDirectory([tenant('acme', { fallback: 'sometimes' })])).toThrow(/tenants\.0\.policy: fallback/);
  const directory = new TenantDirectory([tenant('acme', { fallback: 'allow' })]);
  const result = directory.update([tenant('acme', { fallback: 'sometimes' })]);
  expect(result.invalid).toEqual([{ tenant: 'acme', errors: [expect.stringContaining('fallback')] }]);
  expect(allows(directory, 'acme', 'User.name')).toBe('invalid');
  expect(directory.policyVersion('acme')).toMatch(/^invalid:acme:/);
});

test('a policy naming a coordinate the schema lacks is invalid for that schema (fail closed), not ignored', () => {
  const directory = new TenantDirectory([]);
  directory.update([tenant('acme', { fallback: 'allow', rules: { 'User.phone': 'deny' } })]);
  expect(directory.policyFor('acme', schema)).toEqual({ status: 'invalid', errors: [{ coordinate: 'User.phone', message: expect.any(String) }] });
});

test('registry tenants merge over configured ones by id, whole; others are kept', () => {
  const config = [tenant('acme', { fallback: 'allow' }, { roles: ['config'] }), tenant('demo', undefined)];
  const registry = [
    tenantFromRegistry('prod', { id: 'acme', roles: ['registry'], scopes: [], plan: {}, apiKeys: [{ id: 'k', sha256: 'c'.repeat(64), createdAt: 'x' }], policy: { mode: 'filter', fallback: 'deny', rules: {} }, version: 7, updatedAt: 'x' }),
    tenantFromRegistry('prod', { id: 'zeta', roles: [], scopes: [], plan: {}, apiKeys: [], version: 2, updatedAt: 'x' }),
  ];
  const merged = mergeTenants(config, registry);
  expect(merged.map((t) => [t.id, t.roles])).toEqual([
    ['acme', ['registry']],
    ['demo', []],
    ['zeta', []],
  ]);
  expect(merged[0]!.apiKeys).toEqual([{ id: 'k', sha256: 'c'.repeat(64) }]);
  expect(merged[0]!.policy).toEqual({ mode: 'filter', fallback: 'deny', rules: {}, version: 'registry:prod:7' });
  expect(merged[2]).not.toHaveProperty('policy');
});
