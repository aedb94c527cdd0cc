/**
 * Prompt templates through the registry: a template is published as a change to subgraph `ai`.
 * The variant's whole template set (with the new or changed one) is validated, turned into the AI
 * subgraph's SDL (`templatesToSdl`) and published through the same checks as any schema change, so
 * removing a variable or changing an output type is refused as breaking while clients use it. The
 * accepted version stores the template set on the `ai` record; the AI subgraph follows it with
 * conditional, long-polled GETs (ETag + `waitMs`), like gateways follow the supergraph.
 *
 * Routes (under /api/variants/:variant):
 *   GET    prompts          → {variant, versionId, url, templates: PromptTemplate[] | null}, ETag
 *   POST   prompts          → add or replace one template (JSON, or YAML with content-type application/yaml)
 *   PUT    prompts          → replace the whole set: {templates: [...]}
 *   DELETE prompts/:name    → remove one template
 * POST/PUT/DELETE take `?url=` (the AI subgraph's routing URL; default the live one), `?owner=`, `?author=`, `?commit=`.
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import YAML from 'yaml';
import { CharterError } from '../core/errors';
import { readBody, sendJson } from '../core/http';
import { templatesToSdl, validateTemplates } from '../subgraphs/ai/prompts';
import type { PromptTemplate } from '../subgraphs/ai/prompts';
import { sendOutcome } from './http-api';
import type { PublishOutcome, SchemaPublisher } from './publisher';
import type { Scope } from './auth';
import type { SchemaVersion, SubgraphRecord } from './types';

/** The subgraph prompt templates are published as. */
export const AI_SUBGRAPH = 'ai';
const MAX_TEMPLATE_BYTES = 1024 * 1024;
const MAX_WAIT_MS = 30_000;
/** Re-derivations of the set when another change to the templates landed first. */
const MAX_ATTEMPTS = 5;

export interface TemplateChangeOptions {
  /** The AI subgraph's routing URL; default the one the variant has. Required for the first publish. */
  url?: string;
  owner?: string;
  author?: string;
  commit?: string;
}

/** The variant's stored template set and the `ai` record it lives on (null templates: none stored). */
export interface StoredTemplates {
  variant: string;
  versionId: number | null;
  url: string | null;
  templates: PromptTemplate[] | null;
}

export function storedTemplates(variant: string, head: SchemaVersion | null): StoredTemplates {
  const ai = aiRecordOf(head);
  return { variant, versionId: head?.id ?? null, url: ai?.url ?? null, templates: (ai?.templates as PromptTemplate[] | undefined) ?? null };
}

/** A content hash, so a publish of another subgraph does not wake every AI subgraph. */
export function templatesEtag(stored: Pick<StoredTemplates, 'templates'>): string {
  return `"prompts-${createHash('sha256').update(JSON.stringify(stored.templates)).digest('hex').slice(0, 32)}"`;
}

/** Adds `template`, or replaces the one of the same name, through the governed publish. */
export function publishPromptTemplate(publisher: SchemaPublisher, variant: string, template: unknown, options: TemplateChangeOptions = {}): Promise<PublishOutcome> {
  const name = typeof (template as { name?: unknown })?.name === 'string' ? (template as { name: string }).name : undefined;
  return changeTemplates(publisher, variant, options, (current) => [...current.filter((t) => t.name !== name), template]);
}

/** Removes the template `name` (its field leaves the schema: judged like any field removal). */
export function deletePromptTemplate(publisher: SchemaPublisher, variant: string, name: string, options: TemplateChangeOptions = {}): Promise<PublishOutcome> {
  return changeTemplates(publisher, variant, options, (current) => {
    if (!current.some((t) => t.name === name)) throw new CharterError('NOT_FOUND', `Variant "${variant}" has no prompt template "${name}"`);
    return current.filter((t) => t.name !== name);
  });
}

/** Replaces the whole template set (what `charter dev` seeds the registry with). */
export function replacePromptTemplates(publisher: SchemaPublisher, variant: string, templates: unknown[], options: TemplateChangeOptions = {}): Promise<PublishOutcome> {
  return changeTemplates(publisher, variant, options, () => templates);
}

async function changeTemplates(publisher: SchemaPublisher, variant: string, options: TemplateChangeOptions, derive: (current: PromptTemplate[]) => unknown[]): Promise<PublishOutcome> {
  for (let attempt = 1; ; attempt++) {
    const stored = storedTemplates(variant, await publisher.store.head(variant));
    let next: unknown[];
    try {
      next = derive(stored.templates ?? []);
    } catch (err) {
      if (err instanceof CharterError) return { status: 'rejected', code: err.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'BAD_REQUEST', message: err.message, problems: [] };
      throw err;
    }
    const outcome = validateTemplates(next);
    if (outcome.status === 'invalid') {
      return { status: 'rejected', code: 'BAD_REQUEST', message: `Invalid prompt templates: ${outcome.problems.join('; ')}`, problems: outcome.problems.map((message) => ({ message, subgraph: AI_SUBGRAPH })) };
    }
    const url = options.url ?? stored.url;
    if (!url) return { status: 'rejected', code: 'BAD_REQUEST', message: `Variant "${variant}" has no subgraph "${AI_SUBGRAPH}" yet: give the AI subgraph's routing URL (url)`, problems: [] };
    const templates = [...outcome.templates].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const published = await publisher.publish(
      { variant, name: AI_SUBGRAPH, url, sdl: templatesToSdl(templates), owner: options.owner, author: options.author, commit: options.commit },
      // basedOn: the publisher refuses (CONFLICT) if the stored set moved since it was read here, so no change is lost.
      { templates, basedOn: stored.templates },
    );
    if (published.status === 'rejected' && published.code === 'CONFLICT' && attempt < MAX_ATTEMPTS) continue;
    return published;
  }
}

/**
 * Serves `/api/variants/:variant/prompts[/:name]`; `rest` is the path after the variant.
 * `allow` checks the caller may do `action` on subgraph `ai` (throws 403 otherwise).
 */
export async function servePrompts(
  publisher: SchemaPublisher,
  variant: string,
  rest: string[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  allow: (action: Scope, subgraph?: string) => void,
): Promise<void> {
  const options = (): TemplateChangeOptions => ({
    url: url.searchParams.get('url') ?? undefined,
    owner: url.searchParams.get('owner') ?? undefined,
    author: url.searchParams.get('author') ?? undefined,
    commit: url.searchParams.get('commit') ?? undefined,
  });
  if (rest.length === 1) {
    if (req.method === 'GET') {
      allow('read');
      return serveTemplates(publisher, variant, req, res, url);
    }
    if (req.method === 'POST') {
      allow('publish', AI_SUBGRAPH);
      return sendOutcome(res, await publishPromptTemplate(publisher, variant, await readTemplateBody(req), options()));
    }
    if (req.method === 'PUT') {
      allow('publish', AI_SUBGRAPH);
      const body = await readTemplateBody(req);
      const templates = (body as { templates?: unknown })?.templates;
      if (!Array.isArray(templates)) throw new CharterError('BAD_REQUEST', 'Body must be {templates: [...]}');
      return sendOutcome(res, await replacePromptTemplates(publisher, variant, templates, options()));
    }
  }
  if (rest.length === 2 && req.method === 'DELETE') {
    allow('publish', AI_SUBGRAPH);
    return sendOutcome(res, await deletePromptTemplate(publisher, variant, decodeURIComponent(rest[1]!), options()));
  }
  throw new CharterError('NOT_FOUND', `No route for ${req.method} ${url.pathname}`);
}

/** A template document: YAML when the content type says so, JSON otherwise. */
async function readTemplateBody(req: http.IncomingMessage): Promise<unknown> {
  const text = (await readBody(req, MAX_TEMPLATE_BYTES)).toString('utf8');
  const type = String(req.headers['content-type'] ?? 'application/json').toLowerCase();
  const yaml = /\b(application|text)\/(x-)?yaml\b/.test(type);
  if (!yaml && !type.includes('json')) throw new CharterError('UNSUPPORTED_MEDIA_TYPE', `Send the template as application/json or application/yaml, not ${type}`);
  try {
    return yaml ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw new CharterError('BAD_REQUEST', `Request body is not valid ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message}`);
  }
}

async function serveTemplates(publisher: SchemaPublisher, variant: string, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const waitMs = Math.min(Number(url.searchParams.get('waitMs') ?? 0) || 0, MAX_WAIT_MS);
  const known = req.headers['if-none-match'];
  let stored = storedTemplates(variant, await publisher.store.head(variant));
  if (waitMs > 0 && known === templatesEtag(stored)) stored = await waitForChange(publisher, variant, known, waitMs, req);
  const etag = templatesEtag(stored);
  if (known === etag) {
    res.writeHead(304, { etag });
    res.end();
    return;
  }
  sendJson(res, 200, stored, { etag });
}

/** Resolves with the stored set once it differs from `etag`, or as it is after `waitMs` (or when the client leaves). */
function waitForChange(publisher: SchemaPublisher, variant: string, etag: string, waitMs: number, req: http.IncomingMessage): Promise<StoredTemplates> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (stored: StoredTemplates): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      publisher.off('published', onPublished);
      req.off('close', onTimeout);
      resolve(stored);
    };
    const onTimeout = (): void => {
      void publisher.store.head(variant).then((head) => finish(storedTemplates(variant, head)), () => finish(storedTemplates(variant, null)));
    };
    // Another subgraph's publish is a new version too: keep waiting unless the template set moved.
    const onPublished = (version: SchemaVersion): void => {
      if (version.variant !== variant) return;
      const stored = storedTemplates(variant, version);
      if (templatesEtag(stored) !== etag) finish(stored);
    };
    const timer = setTimeout(onTimeout, waitMs);
    publisher.on('published', onPublished);
    req.on('close', onTimeout);
  });
}

function aiRecordOf(head: SchemaVersion | null): SubgraphRecord | undefined {
  return head?.subgraphs.find((s) => s.name === AI_SUBGRAPH && s.status !== 'retired');
}
