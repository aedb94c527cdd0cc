/**
 * SchemaPublisher: the one path by which a subgraph change becomes a live supergraph.
 * validate → compose with the variant's other subgraphs → (checks) → append as a new version
 * (compare-and-set on the head) → tell listeners. A refused change stores nothing.
 */
import { EventEmitter } from 'node:events';
import { parse, GraphQLError } from 'graphql';
import { z } from 'zod';
import { composeSubgraphs } from '../governance/check';
import type { RegistryStore } from './store/registry-store';
import { summarize, type SchemaVersion, type SubgraphRecord, type VersionSummary } from './types';

export const publishInputSchema = z.object({
  variant: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, dashes and underscores').default('prod'),
  name: z.string({ required_error: 'is required' }).regex(/^[a-z][a-z0-9_-]*$/, 'must start with a lower-case letter and hold only lower-case letters, digits, dashes and underscores'),
  url: z.string({ required_error: 'is required' }).url('must be an absolute http(s) URL').refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  sdl: z.string({ required_error: 'is required' }).min(1, 'must not be empty'),
  owner: z.string().optional(),
  author: z.string().optional(),
  commit: z.string().optional(),
});

export type PublishInput = z.input<typeof publishInputSchema>;

export interface Problem {
  message: string;
  code?: string;
  subgraph?: string;
  line?: number;
  column?: number;
}

export type PublishOutcome =
  | { status: 'published'; version: VersionSummary }
  | { status: 'unchanged'; version: VersionSummary }
  | { status: 'rejected'; code: 'BAD_REQUEST' | 'INVALID_SCHEMA' | 'COMPOSITION_FAILED' | 'CHECKS_FAILED'; message: string; problems: Problem[]; report?: unknown };

export interface SchemaPublisherEvents {
  published: [SchemaVersion];
}

/** How many times a publish that lost a compare-and-set race is re-run on the new head. */
const MAX_CAS_ATTEMPTS = 5;

export class SchemaPublisher extends EventEmitter<SchemaPublisherEvents> {
  constructor(readonly store: RegistryStore) {
    super();
  }

  async publish(raw: unknown): Promise<PublishOutcome> {
    const parsed = publishInputSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => ({ message: `${i.path.join('.') || 'body'}: ${i.message}` }));
      return { status: 'rejected', code: 'BAD_REQUEST', message: problems.map((p) => p.message).join('; '), problems };
    }
    const input = parsed.data;
    const syntax = checkSyntax(input.name, input.sdl);
    if (syntax) return { status: 'rejected', code: 'INVALID_SCHEMA', message: `Subgraph "${input.name}" SDL does not parse: ${syntax.message}`, problems: [syntax] };

    for (let attempt = 1; ; attempt++) {
      const head = await this.store.head(input.variant);
      const current = head?.subgraphs ?? [];
      const existing = current.find((s) => s.name === input.name);
      if (existing && existing.sdl === input.sdl && existing.url === input.url && head) {
        return { status: 'unchanged', version: summarize(head) };
      }
      const record: SubgraphRecord = { name: input.name, url: input.url, sdl: input.sdl, owner: input.owner ?? existing?.owner, status: existing?.status ?? 'active' };
      const candidate = existing ? current.map((s) => (s.name === input.name ? record : s)) : [...current, record];
      const composed = composeSubgraphs(candidate.filter((s) => s.status !== 'retired'));
      if (!composed.ok) {
        const problems: Problem[] = composed.errors.map((e) => ({ ...e }));
        return {
          status: 'rejected',
          code: 'COMPOSITION_FAILED',
          message: `Subgraph "${input.name}" does not compose with variant "${input.variant}": ${problems.map((p) => p.message).join('; ')}`,
          problems,
        };
      }
      const result = await this.store.append(input.variant, head?.id ?? null, {
        action: 'publish',
        subgraph: input.name,
        author: input.author,
        commit: input.commit,
        subgraphs: candidate,
        supergraphSdl: composed.supergraphSdl,
        report: { composition: { hints: composed.hints } },
      });
      if (result.ok) {
        this.emit('published', result.version);
        return { status: 'published', version: summarize(result.version) };
      }
      // Another publish landed first: run the pipeline again on the new head, so nothing is lost.
      if (attempt >= MAX_CAS_ATTEMPTS) {
        return { status: 'rejected', code: 'CHECKS_FAILED', message: 'The variant changed under this publish too often; retry it', problems: [{ message: 'CONFLICT', code: 'CONFLICT' }] };
      }
    }
  }
}

function checkSyntax(name: string, sdl: string): Problem | null {
  try {
    parse(sdl);
    return null;
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    const loc = err.locations?.[0];
    return { message: loc ? `${err.message} (line ${loc.line}, column ${loc.column})` : err.message, code: 'GRAPHQL_PARSE_FAILED', subgraph: name, line: loc?.line, column: loc?.column };
  }
}
