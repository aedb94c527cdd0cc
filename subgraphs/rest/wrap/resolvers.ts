/**
 * Generate a subgraph's resolvers from its REST mapping. Every REST call goes through a
 * DataLoader that lives for one GraphQL request (found through the request's context object),
 * so the fields of one query level that need the same entity type share one batched call, and a
 * key asked for twice is fetched once.
 */
import DataLoader from 'dataloader';
import type { GraphQLFieldResolver } from 'graphql';
import type { EntityMapping, FieldMapping, ParsedRestMapping } from './mapping';
import { graphqlError } from '../../../core/errors';
import type { BackendAuth } from './backend-auth';
import { readPath, writePath } from './json-path';
import { fetchConnection } from './pagination';
import { expectSuccess, restError, sendRest, type RestCallTarget, type RestResponse } from './rest-client';
import type { SdlObjectType } from './sdl';

type RestItem = Record<string, unknown>;
type Resolver = GraphQLFieldResolver<RestItem, unknown, Record<string, unknown>>;
export type ResolverMap = Record<string, Record<string, Resolver | ((reference: RestItem, context: unknown) => unknown)>>;

export interface MappedResolverOptions {
  subgraph: string;
  baseUrl: string;
  timeoutMs: number;
  mapping: ParsedRestMapping;
  types: Map<string, SdlObjectType>;
  auth: BackendAuth;
}

/** One GraphQL request's loaders, by `entity:<Type>` or `hasMany:<Type.field>`. */
type RequestLoaders = Map<string, DataLoader<string, unknown>>;

export function createMappedResolvers(options: MappedResolverOptions): ResolverMap {
  const { subgraph, mapping, types } = options;
  const defaultTimeoutMs = options.timeoutMs;
  const base = options.baseUrl.replace(/\/+$/, '');
  // Keyed by the context object, which the server creates once per request: the loaders (and
  // their cache) die with the request, and no context type has to know about them.
  const loadersByContext = new WeakMap<object, RequestLoaders>();

  function loadersOf(context: unknown): RequestLoaders {
    // Without a context object there is no request to share with: correct, but unbatched.
    if (typeof context !== 'object' || context === null) return new Map();
    let loaders = loadersByContext.get(context);
    if (!loaders) loadersByContext.set(context, (loaders = new Map()));
    return loaders;
  }

  function loaderOf<V>(loaders: RequestLoaders, id: string, create: () => DataLoader<string, V>): DataLoader<string, V> {
    let loader = loaders.get(id) as DataLoader<string, V> | undefined;
    if (!loader) loaders.set(id, (loader = create()) as DataLoader<string, unknown>);
    return loader;
  }

  function target(endpoint: string, path: string, options: { notFoundAsNull?: boolean; timeoutMs?: number } = {}): RestCallTarget {
    return { subgraph, endpoint, url: base + path, timeoutMs: options.timeoutMs ?? defaultTimeoutMs, notFoundAsNull: options.notFoundAsNull ?? false };
  }

  /** Send with the backend credentials; a 401 on a read refreshes them (OAuth2) and tries once more. */
  async function send(call: RestCallTarget, context: unknown): Promise<RestResponse> {
    const bodyText = call.body === undefined ? '' : JSON.stringify(call.body);
    const attempt = async () => sendRest({ ...call, headers: { ...call.headers, ...(await options.auth.headersFor(context, { method: call.method ?? 'GET', url: call.url, bodyText })) } });
    const response = await attempt();
    // Writes are never sent twice (the first may have been applied); a read is safe to repeat.
    if (response.status === 401 && options.auth.rejected() && (call.method ?? 'GET') === 'GET') return attempt();
    return response;
  }

  async function getJson(call: RestCallTarget, context: unknown): Promise<unknown> {
    return expectSuccess(call, await send(call, context));
  }

  /** A list answer, unwrapped from its envelope (`items: data.results`) when the mapping says so. */
  async function getItems(call: RestCallTarget, context: unknown, items?: string): Promise<RestItem[]> {
    const body = await getJson(call, context);
    if (body === null) return []; // a 404 the call allowed
    const list = items === undefined ? body : readPath(body, items);
    if (!Array.isArray(list) || !list.every(isItem)) throw restError(call, 'UPSTREAM_ERROR', `answered with something other than a JSON array of objects${items ? ` at "${items}"` : ''}`);
    return list;
  }

  async function getItem(call: RestCallTarget, context: unknown): Promise<RestItem | null> {
    const body = await getJson(call, context);
    if (body !== null && !isItem(body)) throw restError(call, 'UPSTREAM_ERROR', 'answered with something other than a JSON object');
    return body;
  }

  /** Give an item its key under the GraphQL key name (e.g. `id` from `productId`). */
  function normalize(entity: EntityMapping, item: RestItem): RestItem {
    return entity.keyField && entity.keyField !== entity.key ? { ...item, [entity.key]: item[entity.keyField] } : item;
  }

  /**
   * The loader key of an item or representation: the key value, or for a composite key the JSON
   * array of its values (so `A1`+`eu` and `A1:e`+`u` never collide). Null when a key field is missing.
   */
  function loaderKeyOf(entity: EntityMapping, item: RestItem, fields = entity.keyFields): string | null {
    const values = fields.map((field) => item[field]);
    if (values.some((value) => value === undefined || value === null)) return null;
    return fields.length === 1 ? String(values[0]) : JSON.stringify(values.map(String));
  }

  function entityLoader(loaders: RequestLoaders, typeName: string, context: unknown): DataLoader<string, RestItem | null> {
    const entity = mapping.entities[typeName]!;
    const composite = entity.keyFields.length > 1;
    const restKeyFields = composite ? entity.keyFields : [entity.keyField ?? entity.key];
    const valuesOf = (key: string): string[] => (composite ? (JSON.parse(key) as string[]) : [key]);
    return loaderOf(loaders, `entity:${typeName}`, () =>
      new DataLoader<string, RestItem | null>(
        async (keys) => {
          if (entity.batch) {
            // Values are URL-encoded and the separator is not, so a backend that splits the raw
            // query on "," and the separator before decoding cannot mistake a ":" inside a value.
            const encoded: Record<string, string> = composite
              ? { keys: keys.map((key) => valuesOf(key).map(encodeURIComponent).join(entity.keySeparator)).join(',') }
              : { ids: keys.map(encodeURIComponent).join(',') };
            const call = target(entity.batch, fill(entity.batch, encoded), { timeoutMs: entity.timeoutMs });
            const items = await getItems(call, context, entity.items);
            const byKey = new Map(items.map((item) => [loaderKeyOf(entity, item, restKeyFields), normalize(entity, item)]));
            return keys.map((key) => byKey.get(key) ?? null);
          }
          // No batch endpoint: concurrent single GETs; one failing key fails only its own field.
          const get = entity.get!;
          return Promise.all(
            keys.map((key) => {
              const values = valuesOf(key);
              const placeholders: Record<string, string> = composite
                ? Object.fromEntries(entity.keyFields.map((field, index) => [field, encodeURIComponent(values[index]!)]))
                : { id: encodeURIComponent(key), [entity.key]: encodeURIComponent(key) };
              return getItem(target(get, fill(get, placeholders), { notFoundAsNull: true, timeoutMs: entity.timeoutMs }), context).then(
                (item) => item && normalize(entity, item),
                (err: Error) => err,
              );
            }),
          );
        },
        { maxBatchSize: entity.maxBatchSize },
      ),
    );
  }

  function hasManyLoader(loaders: RequestLoaders, coordinate: string, field: Extract<FieldMapping, { kind: 'hasMany' }>, context: unknown): DataLoader<string, RestItem[]> {
    return loaderOf(loaders, `hasMany:${coordinate}`, () =>
      new DataLoader<string, RestItem[]>(async (keys) => {
        if (field.path.includes('{ids}')) {
          const items = await getItems(target(field.path, fill(field.path, { ids: keys.map(encodeURIComponent).join(',') }), { timeoutMs: field.timeoutMs }), context, field.items);
          const groups = new Map<string, RestItem[]>(keys.map((key) => [key, []]));
          for (const item of items) groups.get(String(item[field.foreignKey]))?.push(item);
          return keys.map((key) => groups.get(key)!);
        }
        return Promise.all(
          keys.map((key) =>
            getItems(target(field.path, fill(field.path, { id: encodeURIComponent(key) }), { notFoundAsNull: true, timeoutMs: field.timeoutMs }), context, field.items).catch((err: Error) => err),
          ),
        );
      }),
    );
  }

  /** Items of a type this subgraph serves as an entity: normalize them and prime its loader. */
  function asReturnedItems(loaders: RequestLoaders, typeName: string, items: RestItem[], context: unknown): RestItem[] {
    const entity = mapping.entities[typeName];
    if (!entity) return items;
    const loader = entityLoader(loaders, typeName, context);
    return items.map((raw) => {
      const item = normalize(entity, raw);
      const key = loaderKeyOf(entity, item);
      if (key !== null) loader.prime(key, item);
      return item;
    });
  }

  /** The key field of a type: the mapping's, else the first field of its first `@key`. */
  function keyOf(typeName: string): string {
    return mapping.entities[typeName]?.key ?? types.get(typeName)?.keys[0]?.[0] ?? 'id';
  }

  function resolverFor(coordinate: string, field: FieldMapping): Resolver {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const sdlField = types.get(typeName)!.fields.get(fieldName)!;
    const returnType = sdlField.namedType;
    switch (field.kind) {
      case 'list': {
        const listUrl = (args: Record<string, unknown>): URL => {
          const url = new URL(base + fillFromArgs(field.path, args));
          for (const [arg, param] of Object.entries(field.args)) {
            const value = args[arg];
            if (value !== undefined && value !== null) url.searchParams.set(param, Array.isArray(value) ? value.join(',') : String(value));
          }
          return url;
        };
        const paginate = field.paginate;
        if (paginate) {
          // The connection's node type (Connection.edges -> Edge.node), so entity nodes prime their loader.
          const edgeType = types.get(returnType)?.fields.get('edges')?.namedType;
          const nodeType = edgeType === undefined ? undefined : types.get(edgeType)?.fields.get('node')?.namedType;
          return async (_parent, args, context) => {
            const first = listUrl(args);
            const connection = await fetchConnection(paginate, args, async (request) => {
              const call = { ...target(field.path, '', { timeoutMs: field.timeoutMs }), url: first.toString() };
              if (request.link !== undefined) call.url = followableLink(call, first, request.link, request.fromClient);
              else {
                const url = new URL(first);
                for (const [param, value] of Object.entries(request.params)) url.searchParams.set(param, value);
                call.url = url.toString();
              }
              const body = await getJson(call, context);
              const items = field.items === undefined ? body : readPath(body, field.items);
              if (!Array.isArray(items) || !items.every(isItem)) throw restError(call, 'UPSTREAM_ERROR', `answered a page without a JSON array of objects${field.items ? ` at "${field.items}"` : ''}`);
              return { items, body };
            });
            if (nodeType) {
              const nodes = asReturnedItems(loadersOf(context), nodeType, connection.nodes, context);
              connection.edges.forEach((edge, index) => (edge.node = nodes[index]!));
              connection.nodes = nodes;
            }
            return connection;
          };
        }
        return async (_parent, args, context) => {
          const items = await getItems({ ...target(field.path, '', { timeoutMs: field.timeoutMs }), url: listUrl(args).toString() }, context, field.items);
          return asReturnedItems(loadersOf(context), returnType, items, context);
        };
      }
      case 'write':
        return async (_parent, args, context) => {
          const headers: Record<string, string> = {};
          const incoming = (context as { headers?: Record<string, string | string[] | undefined> } | null)?.headers ?? {};
          for (const header of field.passHeaders) {
            const value = incoming[header];
            if (typeof value === 'string') headers[header] = value;
          }
          for (const [header, arg] of Object.entries(field.headers)) {
            const value = args[arg];
            if (value !== undefined && value !== null) headers[header] = String(value);
          }
          const call: RestCallTarget = {
            ...target(field.path, fillFromArgs(field.path, args), { timeoutMs: field.timeoutMs, notFoundAsNull: !sdlField.nonNull }),
            method: field.method,
            body: writeBody(field.body, args),
            headers,
          };
          const answer = await getJson(call, context);
          // DELETE (and other writes) often answer 204: a Boolean field reports success.
          if (returnType === 'Boolean' && !sdlField.isList) return answer !== null || field.method === 'DELETE' ? true : null;
          const value = field.result === undefined || answer === null ? answer : readPath(answer, field.result);
          if (value === null || value === undefined) return null;
          if (sdlField.isList) {
            if (!Array.isArray(value) || !value.every(isItem)) throw restError(call, 'UPSTREAM_ERROR', 'write answered with something other than a list of objects');
            return asReturnedItems(loadersOf(context), returnType, value, context);
          }
          if (isItem(value)) return asReturnedItems(loadersOf(context), returnType, [value], context)[0];
          return value;
        };
      case 'entity':
        return (parent, args, context) => {
          const key = field.keyArg !== undefined ? args[field.keyArg] : readPath(parent, field.from!);
          if (key === undefined || key === null) return null;
          const loader = entityLoader(loadersOf(context), field.type, context);
          if (Array.isArray(key)) return loader.loadMany(key.map(String));
          if (!sdlField.nonNull) return loader.load(String(key));
          // A missing entity on a non-null field: say NOT_FOUND rather than GraphQL's generic null error.
          return loader.load(String(key)).then((item) => item ?? Promise.reject(restError({ subgraph, endpoint: coordinate }, 'NOT_FOUND', `no ${field.type} ${String(key)}`)));
        };
      case 'hasMany': {
        const parentKey = field.parentKey ?? keyOf(typeName);
        return async (parent, _args, context) => {
          const key = parent[parentKey];
          if (key === undefined || key === null) return [];
          const loaders = loadersOf(context);
          return asReturnedItems(loaders, returnType, await hasManyLoader(loaders, coordinate, field, context).load(String(key)), context);
        };
      }
      case 'reference': {
        const key = keyOf(field.type);
        const toReference = (value: unknown) => (value === undefined || value === null ? null : { __typename: field.type, [key]: value });
        return (parent) => {
          const value = readPath(parent, field.from);
          return Array.isArray(value) ? value.map(toReference) : toReference(value);
        };
      }
      case 'rename':
        return (parent) => readPath(parent, field.from);
    }
  }

  const resolvers: ResolverMap = {};
  const on = (typeName: string) => (resolvers[typeName] ??= {});
  for (const typeName of Object.keys(mapping.entities)) {
    const entity = mapping.entities[typeName]!;
    on(typeName).__resolveReference = async (reference: RestItem, context: unknown) => {
      const key = loaderKeyOf(entity, reference);
      if (key === null) return null;
      const item = await entityLoader(loadersOf(context), typeName, context).load(key);
      // The representation may carry more than the key (fields other subgraphs provide): keep it.
      return item && { ...reference, ...item };
    };
  }
  for (const typeName of mapping.stubs) {
    on(typeName).__resolveReference = (reference: RestItem) => reference;
  }
  for (const [coordinate, field] of Object.entries(mapping.fields)) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    on(typeName)[fieldName] = resolverFor(coordinate, field);
  }
  return resolvers;
}

/** Replace `{name}` placeholders with already-encoded values. */
function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^{}]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * A next link from the backend (or from a client's cursor, which carries it) is followed only on the
 * list's own origin and path: a forged cursor must not turn the subgraph into a proxy to other hosts.
 */
function followableLink(call: RestCallTarget, listUrl: URL, link: string, fromClient: boolean): string {
  let url: URL;
  try {
    url = new URL(link, listUrl);
  } catch {
    throw restError(call, 'UPSTREAM_ERROR', 'gave a next link that is not a URL');
  }
  if (url.origin !== listUrl.origin || url.pathname !== listUrl.pathname) {
    if (fromClient) throw graphqlError('BAD_USER_INPUT', '"after" is not a cursor this field gave out');
    throw restError(call, 'UPSTREAM_ERROR', 'gave a next link to another host or path; not followed');
  }
  return url.toString();
}

/** Fill `{arg}` / `{input.id}` placeholders from the arguments, URL-encoded. */
function fillFromArgs(path: string, args: Record<string, unknown>): string {
  return path.replace(/\{([^{}]+)\}/g, (_whole, name: string) => encodeURIComponent(String(readPath(args, name) ?? '')));
}

/** The JSON body of a write: one whole argument, or properties gathered from argument paths. */
function writeBody(body: string | Record<string, string> | undefined, args: Record<string, unknown>): unknown {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return readPath(args, body) ?? null;
  const json: Record<string, unknown> = {};
  for (const [property, argPath] of Object.entries(body)) {
    const value = readPath(args, argPath);
    // An argument left out is left out of the body, so a PATCH changes only what was given.
    if (value !== undefined) writePath(json, property, value);
  }
  return json;
}

function isItem(value: unknown): value is RestItem {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
