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

/** Query options of a prompt template change: the AI subgraph's routing URL (default the live one), owner, author, commit. */
export interface PromptChangeOptions {
  url?: string;
  owner?: string;
  author?: string;
  commit?: string;
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

  /**
   * The variant's prompt template set (`templates: null` when none is stored), or `null` when it
   * is still the one named by `etag`. `waitMs` long-polls for a change.
   */
  async fetchPrompts(variant: string, options: { etag?: string; waitMs?: number; signal?: AbortSignal } = {}): Promise<{ templates: unknown[] | null; url: string | null; versionId: number | null; etag: string } | null> {
    const query = options.waitMs ? `?waitMs=${options.waitMs}` : '';
    const res = await fetch(`${this.baseUrl}/api/variants/${encodeURIComponent(variant)}/prompts${query}`, {
      headers: { ...this.authHeaders(), ...(options.etag ? { 'if-none-match': options.etag } : {}) },
      signal: options.signal,
    });
    if (res.status === 304) return null;
    const body = (await res.json().catch(() => null)) as any;
    if (!res.ok) throw new Error(`registry answered ${res.status}: ${body?.error?.message ?? 'no message'}`);
    return { templates: body.templates, url: body.url, versionId: body.versionId, etag: res.headers.get('etag') ?? '' };
  }

  /** Adds or replaces one prompt template (published as subgraph `ai` through the checks): 201, 200 unchanged, or a refusal. */
  publishPrompt(variant: string, template: unknown, options: PromptChangeOptions = {}): Promise<RegistryResponse> {
    return this.send('POST', `/api/variants/${encodeURIComponent(variant)}/prompts${promptQuery(options)}`, template);
  }

  /** Replaces the whole prompt template set. */
  replacePrompts(variant: string, templates: unknown[], options: PromptChangeOptions = {}): Promise<RegistryResponse> {
    return this.send('PUT', `/api/variants/${encodeURIComponent(variant)}/prompts${promptQuery(options)}`, { templates });
  }

  deletePrompt(variant: string, name: string, options: { author?: string; commit?: string } = {}): Promise<RegistryResponse> {
    return this.send('DELETE', `/api/variants/${encodeURIComponent(variant)}/prompts/${encodeURIComponent(name)}${promptQuery(options)}`);
  }

  private async send(method: 'PUT' | 'POST' | 'DELETE', pathAndQuery: string, body?: unknown): Promise<RegistryResponse> {
    const res = await fetch(`${this.baseUrl}${pathAndQuery}`, {
      method,
      // Always typed, even without a body: the registry refuses untyped writes (a browser's CSRF shape).
      headers: { 'content-type': 'application/json', ...this.authHeaders() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => ({ error: { message: `registry answered ${res.status} with no JSON body` } })) };
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

function promptQuery(options: PromptChangeOptions): string {
  const query = new URLSearchParams(Object.entries(options).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return query.size ? `?${query}` : '';
}
