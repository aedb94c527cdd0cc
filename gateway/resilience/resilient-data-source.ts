/**
 * An `@apollo/gateway` data source with timeouts, retries of reads, circuit breakers and load
 * balancing. It never throws for an upstream failure: it answers with a GraphQL error
 * (`UPSTREAM_TIMEOUT` / `UPSTREAM_UNAVAILABLE`, naming the subgraph), which the gateway places at
 * the failed fetch's paths while the other subgraphs' data is returned.
 */
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { context as otelContext, propagation } from '@opentelemetry/api';
import { Kind, type DocumentNode } from 'graphql';
import { backoffDelayMs } from '../../core/async';
import { createSubgraphRequestBodies } from './request-body';
import { postToSubgraph, type HttpOutcome } from './subgraph-http';
import type { Endpoint, UpstreamGroup } from './upstream-group';
import type { ResolvedSubgraphSettings, SubgraphEvent, SubgraphHeaders, SubgraphRequest } from './types';
import { unreachable } from '../../core/errors';

export interface ResilientDataSourceOptions<TContext> {
  subgraph: string;
  group: UpstreamGroup;
  settings: ResolvedSubgraphSettings;
  onEvent?: (event: SubgraphEvent) => void;
  willSendRequest?: (request: SubgraphRequest, context: TContext) => void | Promise<void>;
  /** Headers that sign one attempt, bound to its subgraph, path and exact body. */
  signAttempt?: (attempt: { subgraph: string; path: string; body: string }, headers: Readonly<Record<string, string>>) => Record<string, string>;
}

type Failure = { kind: 'retryable'; code: 'UPSTREAM_TIMEOUT' | 'UPSTREAM_UNAVAILABLE'; message: string };
type Attempt = { kind: 'answer'; response: GatewayGraphQLResponse } | Failure;

function isMutation(document: DocumentNode | undefined, query: string): boolean {
  if (document) return document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation');
  return /^\s*mutation\b/.test(query);
}

/** `SubgraphHeaders` over the record that is sent as is (a class: no closures per call). */
class RecordHeaders implements SubgraphHeaders {
  constructor(private readonly record: Record<string, string>) {}
  set(name: string, value: string): void {
    this.record[name.toLowerCase()] = String(value);
  }
  get(name: string): string | null {
    return this.record[name.toLowerCase()] ?? null;
  }
  has(name: string): boolean {
    return name.toLowerCase() in this.record;
  }
  delete(name: string): void {
    delete this.record[name.toLowerCase()];
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.record)) callback(this.record[name]!, name);
  }
}

type CacheHint = { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' };

/** `Cache-Control` → the hint it gives; subgraphs send a handful of distinct values, so each is parsed once. */
const cacheHints = new Map<string, CacheHint>();

function cacheHintOf(text: string): CacheHint {
  let hint = cacheHints.get(text);
  if (!hint) {
    const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(text);
    hint = { maxAge: maxAge ? Number(maxAge[1]) : 0 };
    if (/(?:^|,)\s*private\b/i.test(text)) hint.scope = 'PRIVATE';
    else if (/(?:^|,)\s*public\b/i.test(text)) hint.scope = 'PUBLIC';
    // Bounded: a subgraph must not grow it without limit by varying the header.
    if (cacheHints.size >= 256) cacheHints.clear();
    cacheHints.set(text, hint);
  }
  return hint;
}

function errorResponse(subgraph: string, code: string, message: string): GatewayGraphQLResponse {
  return { errors: [{ message, extensions: { code, subgraph } }] };
}

export class ResilientDataSource<TContext extends Record<string, unknown> = Record<string, unknown>> implements GraphQLDataSource<TContext> {
  private readonly bodies = createSubgraphRequestBodies();
  private readonly unavailable: Failure;

  constructor(private readonly options: ResilientDataSourceOptions<TContext>) {
    this.unavailable = { kind: 'retryable', code: 'UPSTREAM_UNAVAILABLE', message: `Subgraph "${options.subgraph}" is unavailable` };
  }

  async process(call: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayGraphQLResponse> {
    const { subgraph, settings } = this.options;
    const { request } = call;
    const query = request.query ?? '';
    const headerRecord: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (request.http?.headers) for (const [name, value] of request.http.headers) headerRecord[name.toLowerCase()] = value;
    const outgoing: SubgraphRequest = { subgraph, query, operationName: request.operationName, variables: request.variables, headers: new RecordHeaders(headerRecord) };
    if (this.options.willSendRequest) await this.options.willSendRequest(outgoing, call.context as TContext);
    const body = this.bodies.bodyOf(query, request.operationName, request.variables, request.extensions);
    // `traceparent` of the current gateway.fetch span, so subgraph spans join the request's trace
    // (a no-op until tracing is registered).
    propagation.inject(otelContext.active(), headerRecord);

    // Mutations are never retried: the first attempt may have reached the subgraph and changed
    // state even though its answer was lost, and running it twice could charge, create or send
    // twice. `noRetry` subgraphs (a billed AI call) are never retried for the same reason.
    const document = 'incomingRequestContext' in call ? call.document : undefined;
    const retries = settings.noRetry || isMutation(document, query) ? 0 : settings.retries;
    const tried = new Set<Endpoint>();
    const unavailable = this.unavailable;
    let failure = unavailable;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        const delay = backoffDelayMs(attempt, settings.retryBaseDelayMs, settings.retryMaxDelayMs);
        this.options.onEvent?.({ type: 'retry', subgraph, attempt, reason: failure.code, delayMs: delay });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
      const endpoint = this.acquire(tried);
      if (!endpoint) {
        this.options.onEvent?.({ type: 'request', subgraph, url: null, outcome: 'circuit-open', durationMs: 0 });
        failure = unavailable;
        continue;
      }
      tried.add(endpoint);
      const result = await this.attempt(endpoint, body, headerRecord, call);
      if (result.kind === 'answer') return result.response;
      failure = result;
    }
    return errorResponse(subgraph, failure.code, failure.message);
  }

  /** A URL whose breaker lets this request through; a half-open probe already taken moves on to the next. */
  private acquire(tried: Set<Endpoint>): Endpoint | null {
    const refused = new Set(tried);
    for (let i = 0; i < this.options.group.endpoints.length; i++) {
      const endpoint = this.options.group.pick(refused);
      if (!endpoint) return null;
      if (endpoint.breaker.tryAcquire()) return endpoint;
      refused.add(endpoint);
    }
    return null;
  }

  private async attempt(endpoint: Endpoint, body: string, headers: Record<string, string>, call: GraphQLDataSourceProcessOptions<TContext>): Promise<Attempt> {
    const { subgraph, settings } = this.options;
    const started = performance.now();
    // Into the call's own record: a retry's fresh signature replaces the previous attempt's.
    if (this.options.signAttempt) Object.assign(headers, this.options.signAttempt({ subgraph, path: endpoint.path, body }, headers));
    const outcome = await postToSubgraph(endpoint.pool, endpoint.path, body, headers, settings);
    const failed = outcome.kind === 'timeout' || outcome.kind === 'unreachable' || (outcome.kind === 'response' && outcome.status >= 500);
    // A response too large is the subgraph answering, not failing to: it does not trip the breaker.
    if (failed) endpoint.breaker.recordFailure();
    else endpoint.breaker.recordSuccess();
    const label = outcome.kind === 'response' ? (outcome.status >= 500 ? 'http-error' : 'ok') : outcome.kind;
    this.options.onEvent?.({ type: 'request', subgraph, url: endpoint.url, outcome: label, durationMs: performance.now() - started });
    return this.interpret(outcome, call);
  }

  private interpret(outcome: HttpOutcome, call: GraphQLDataSourceProcessOptions<TContext>): Attempt {
    const { subgraph, settings } = this.options;
    switch (outcome.kind) {
      case 'timeout':
        return { kind: 'retryable', code: 'UPSTREAM_TIMEOUT', message: `Subgraph "${subgraph}" did not answer within ${settings.timeoutMs} ms` };
      case 'unreachable':
        return { kind: 'retryable', code: 'UPSTREAM_UNAVAILABLE', message: `Subgraph "${subgraph}" is unavailable` };
      case 'too-large':
        return { kind: 'answer', response: errorResponse(subgraph, 'UPSTREAM_UNAVAILABLE', `Subgraph "${subgraph}" sent a response larger than allowed`) };
      case 'response': {
        if (outcome.status >= 500) return { kind: 'retryable', code: 'UPSTREAM_UNAVAILABLE', message: `Subgraph "${subgraph}" answered HTTP ${outcome.status}` };
        let parsed: unknown;
        try {
          parsed = JSON.parse(outcome.body);
        } catch {
          parsed = null;
        }
        if (!parsed || typeof parsed !== 'object' || !('data' in parsed || 'errors' in parsed)) {
          return { kind: 'answer', response: errorResponse(subgraph, 'UPSTREAM_UNAVAILABLE', `Subgraph "${subgraph}" answered HTTP ${outcome.status} without a GraphQL response`) };
        }
        this.restrictCachePolicy(outcome.headers['cache-control'], call);
        return { kind: 'answer', response: parsed as GatewayGraphQLResponse };
      }
      default: {
        return unreachable(outcome);
      }
    }
  }

  /**
   * What `RemoteGraphQLDataSource` does: the subgraph's `Cache-Control` narrows the operation's
   * overall cache policy, so an answer is cached no longer (nor more widely) than every part allows.
   * A subgraph without the header contributes maxAge 0, i.e. "do not cache".
   */
  private restrictCachePolicy(header: string | string[] | undefined, call: GraphQLDataSourceProcessOptions<TContext>): void {
    // Only incoming operations carry a request context (health checks and schema loads do not).
    if (!('incomingRequestContext' in call)) return;
    const policy = call.incomingRequestContext.overallCachePolicy;
    if (!policy || !('restrict' in policy)) return;
    const text = Array.isArray(header) ? header.join(',') : (header ?? '');
    const hint = cacheHintOf(text);
    policy.restrict(hint as Parameters<typeof policy.restrict>[0]);
  }
}
