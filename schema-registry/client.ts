/** A small client of the registry's HTTP API, for gateways and the CLI. */

export interface RegistrySupergraph {
  variant: string;
  id: number;
  supergraphSdl: string;
  etag: string;
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

  async publish(variant: string, input: { name: string; url: string; sdl: string; owner?: string; author?: string; commit?: string }): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}/api/variants/${encodeURIComponent(variant)}/subgraphs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.authHeaders() },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: await res.json().catch(() => ({ error: { message: `registry answered ${res.status} with no JSON body` } })) };
  }

  private authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}
