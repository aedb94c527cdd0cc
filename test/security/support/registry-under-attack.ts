/**
 * A registry with scoped tokens, a published subgraph and a tenant, plus a raw HTTP client that
 * can send what an attacker's page or a rebound DNS name would (any Host, Origin, content type);
 * `fetch` cannot set `Host`.
 */
import http from 'node:http';
import { sha256Hex } from '../../../schema-registry/auth';
import { booksSdl, startTestRegistry, type TestRegistry } from '../../../schema-registry/test-support';

export const ADMIN = 'attack-test-admin-token';
export const PUBLISHER = 'attack-test-publisher-token';
export const READER = 'attack-test-reader-token';

export interface RawResponse {
  status: number;
  body: any;
  text: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RegistryUnderAttack {
  t: TestRegistry;
  send(request: RawRequest): Promise<RawResponse>;
  /** Headers of the registry's own client: its Host, JSON, and the token if any. */
  json(token?: string): Record<string, string>;
  close(): Promise<void>;
}

export async function startRegistryUnderAttack(): Promise<RegistryUnderAttack> {
  const t = await startTestRegistry(
    {
      tokens: [
        { id: 'admin', tokenSha256: sha256Hex(ADMIN), scopes: ['admin'] },
        { id: 'ci-books', tokenSha256: sha256Hex(PUBLISHER), scopes: ['publish'], subgraphs: ['books'] },
        { id: 'gateway', tokenSha256: sha256Hex(READER), scopes: ['read', 'report-usage'] },
      ],
    },
    ADMIN,
  );
  const published = await t.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl() });
  if (published.status !== 201) throw new Error(`setup publish failed: ${JSON.stringify(published.body)}`);
  const tenant = await fetch(`${t.registry.url}/api/variants/prod/tenants/acme`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
    body: JSON.stringify({ roles: ['customer'], policy: { fallback: 'deny', rules: { 'Query.books': 'allow' } } }),
  });
  if (tenant.status !== 201) throw new Error(`setup tenant failed: ${await tenant.text()}`);
  const host = `127.0.0.1:${t.registry.port}`;
  return {
    t,
    send: (request) => rawRequest(t.registry.port, request),
    json: (token) => ({ host, 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }),
    close: () => t.close(),
  };
}

export function rawRequest(port: number, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers = { ...(request.headers ?? {}), ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}) };
    const req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, headers, setHost: !('host' in headers) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let body: any = null;
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
        resolve({ status: res.statusCode ?? 0, body, text });
      });
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

/** The tenant as stored, read with the admin token. */
export async function storedTenant(r: RegistryUnderAttack, id: string): Promise<any> {
  const res = await r.send({ method: 'GET', path: `/api/variants/prod/tenants/${id}`, headers: r.json(ADMIN) });
  return res.status === 200 ? res.body : null;
}
