/** A small client of the registry's JSON API, for gateways and the CLI. */
import type { UsageReport } from './usage/usage-store';

export interface RegistrySupergraph {
  variant: string;
  id: number;
  supergraphSdl: string;
  etag: string;
}

/** A JSON API answer: the HTTP status and the parsed body (an `{error}` body when the registry sent none). */
export interface RegistryResponse {
  status: number;
  body: any;
}

export class RegistryClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  /** The current supergraph, or `null` when it is the one named by `etag` (nothing changed). */
  async fetchSupergraph(variant: string, options: { etag?: string; waitMs?: number; signal?: AbortSignal } = {}): Promise<RegistrySupergraph | null> {
    const query = options.waitMs ? `?waitMs=${options.waitMs}` : '';
    const res = await fetch(`${this.baseUrl}/api/variants/${encodeURIComponent(variant)}/supergraph${query}`, {
      headers: { ...this.authHeaders(), ...(options.etag ? { 'if-none-match': options.etag } : {}) },
      signal: options.signal,
    });
    if (res.status === 304) return null;
    const body = (await res.json().catch(() => null)) as any;
    if (!res.ok) throw new Error(`registry answered ${res.status}: ${body?.error?.message ?? 'no message'}`);
    return { variant, id: body.id, supergraphSdl: body.supergraphSdl, etag: res.headers.get('etag') ?? '' };
  }

  publish(variant: string, input: { name: string; url: string; sdl: string; owner?: string; author?: string; commit?: string }): Promise<RegistryResponse> {
    return this.post(`/api/variants/${encodeURIComponent(variant)}/subgraphs`, input);
  }

  /** The publish pipeline without storing: 200 with `{verdict, report}`. */
  check(variant: string, input: { name: string; sdl: string; url?: string; owner?: string }): Promise<RegistryResponse> {
    return this.post(`/api/variants/${encodeURIComponent(variant)}/checks`, input);
  }

  /** Sends a batch of field usage (what the gateway reports): 202 with `{accepted}`. */
  reportUsage(reports: UsageReport[]): Promise<RegistryResponse> {
    return this.post('/api/usage', { reports });
  }

  history(variant: string, limit = 50): Promise<RegistryResponse> {
    return this.get(`/api/variants/${encodeURIComponent(variant)}/versions?limit=${limit}`);
  }

  diff(variant: string, from: number, to: number): Promise<RegistryResponse> {
    return this.get(`/api/variants/${encodeURIComponent(variant)}/diff?from=${from}&to=${to}`);
  }

  subgraphs(variant: string): Promise<RegistryResponse> {
    return this.get(`/api/variants/${encodeURIComponent(variant)}/subgraphs`);
  }

  rollback(variant: string, toVersion: number, author?: string): Promise<RegistryResponse> {
    return this.post(`/api/variants/${encodeURIComponent(variant)}/rollback`, { toVersion, author });
  }

  promote(from: string, to: string, author?: string): Promise<RegistryResponse> {
    return this.post(`/api/variants/${encodeURIComponent(to)}/promote`, { from, author });
  }

  setLifecycle(variant: string, subgraph: string, status: 'active' | 'deprecated' | 'retired', author?: string): Promise<RegistryResponse> {
    return this.post(`/api/variants/${encodeURIComponent(variant)}/subgraphs/${encodeURIComponent(subgraph)}/lifecycle`, { status, author });
  }

  private async get(pathAndQuery: string): Promise<RegistryResponse> {
    const res = await fetch(`${this.baseUrl}${pathAndQuery}`, { headers: this.authHeaders() });
    return { status: res.status, body: await res.json().catch(() => ({ error: { message: `registry answered ${res.status} with no JSON body` } })) };
  }

  private async post(pathAndQuery: string, body: unknown): Promise<RegistryResponse> {
    const res = await fetch(`${this.baseUrl}${pathAndQuery}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.authHeaders() },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => ({ error: { message: `registry answered ${res.status} with no JSON body` } })) };
  }

  private authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}
