import { cacheKeyFor, permissionSetOf, type CacheKeyParts } from './cache-key';
import { cachePolicyFromHints, cachedResponseHeaders } from './cache-policy';

const base: CacheKeyParts = {
  tenant: 'acme',
  policyVersion: 'p1',
  supergraphVersion: 's1',
  permissionSet: permissionSetOf({ roles: ['reader'], scopes: ['read:products'] }),
  operationHash: 'h1',
  operationName: 'Products',
  variables: { first: 10, filter: { category: 'lamps', inStock: true } },
};

describe('cacheKeyFor', () => {
  it('is a stable sha256 that ignores the order of variable keys and of roles', () => {
    const key = cacheKeyFor(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKeyFor({ ...base, variables: { filter: { inStock: true, category: 'lamps' }, first: 10 } })).toBe(key);
    expect(permissionSetOf({ roles: ['b', 'a', 'a'], scopes: [] })).toBe(permissionSetOf({ roles: ['a', 'b'] }));
  });

  it.each<[string, Partial<CacheKeyParts>]>([
    ['tenant', { tenant: 'globex' }],
    ['policy version', { policyVersion: 'p2' }],
    ['supergraph version', { supergraphVersion: 's2' }],
    ['permission set', { permissionSet: permissionSetOf({ roles: ['admin'], scopes: ['read:products'] }) }],
    ['operation hash', { operationHash: 'h2' }],
    ['operation name', { operationName: 'Other' }],
    ['variables', { variables: { first: 11, filter: { category: 'lamps', inStock: true } } }],
    ['nested variable', { variables: { first: 10, filter: { category: 'lamps', inStock: false } } }],
    ['principal (PRIVATE)', { principalScope: 'user-1' }],
  ])('differs when the %s differs', (_, change) => {
    expect(cacheKeyFor({ ...base, ...change })).not.toBe(cacheKeyFor(base));
  });

  it('keeps components apart: shifting text between neighbours changes the key', () => {
    expect(cacheKeyFor({ ...base, tenant: 'ac', policyVersion: 'mep1' })).not.toBe(cacheKeyFor({ ...base, tenant: 'acme', policyVersion: 'p1' }));
  });
});

describe('cachePolicyFromHints', () => {
  it('caches a query for its hinted maxAge and scope', () => {
    expect(cachePolicyFromHints({ operationType: 'query', hasErrors: false, overallCachePolicy: { maxAge: 30, scope: 'PRIVATE' } })).toEqual({ status: 'cacheable', ttlSec: 30, scope: 'PRIVATE' });
    expect(cachePolicyFromHints({ operationType: 'query', hasErrors: false, overallCachePolicy: { maxAge: 30 }, maxTtlSec: 10 })).toEqual({ status: 'cacheable', ttlSec: 10, scope: 'PUBLIC' });
  });

  it('uses the default TTL only when no hint set a maxAge; maxAge 0 means no-store', () => {
    expect(cachePolicyFromHints({ operationType: 'query', hasErrors: false, overallCachePolicy: {}, defaultTtlSec: 5 })).toEqual({ status: 'cacheable', ttlSec: 5, scope: 'PUBLIC' });
    expect(cachePolicyFromHints({ operationType: 'query', hasErrors: false, overallCachePolicy: { maxAge: 0 }, defaultTtlSec: 5 })).toEqual({ status: 'bypass', reason: 'no-store' });
    expect(cachePolicyFromHints({ operationType: 'query', hasErrors: false })).toEqual({ status: 'bypass', reason: 'no-store' });
  });

  it('never caches mutations or answers with errors', () => {
    expect(cachePolicyFromHints({ operationType: 'mutation', hasErrors: false, overallCachePolicy: { maxAge: 60 } })).toEqual({ status: 'bypass', reason: 'mutation' });
    expect(cachePolicyFromHints({ operationType: 'query', hasErrors: true, overallCachePolicy: { maxAge: 60 } })).toEqual({ status: 'bypass', reason: 'errors' });
  });

  it('gives Cache-Control with the remaining lifetime and Age', () => {
    expect(cachedResponseHeaders({ storedAt: 10_000, ttlSec: 30 }, 'PUBLIC', 22_500)).toEqual({ 'cache-control': 'max-age=18, public', age: '12' });
    expect(cachedResponseHeaders({ storedAt: 0, ttlSec: 30 }, 'PRIVATE', 0)).toEqual({ 'cache-control': 'max-age=30, private', age: '0' });
  });
});
