/**
 * Generate a subgraph's resolvers from its REST mapping. Every REST call goes through a
 * DataLoader that lives for one GraphQL request (found through the request's context object),
 * so the fields of one query level that need the same entity type share one batched call, and a
 * key asked for twice is fetched once.
 */
import DataLoader from 'dataloader';
import type { GraphQLFieldResolver } from 'graphql';
import type { EntityMapping, FieldMapping, ParsedRestMapping } from './mapping';
import { getRestJson, upstreamError, type RestCallTarget } from './rest-client';
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
}

/** One GraphQL request's loaders, by `entity:<Type>` or `hasMany:<Type.field>`. */
type RequestLoaders = Map<string, DataLoader<string, unknown>>;

export function createMappedResolvers(options: MappedResolverOptions): ResolverMap {
  const { subgraph, mapping, types } = options;
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

  function target(endpoint: string, path: string, notFoundAsNull = false): RestCallTarget {
    return { subgraph, endpoint, url: base + path, timeoutMs: options.timeoutMs, notFoundAsNull };
  }

  async function getItems(call: RestCallTarget): Promise<RestItem[]> {
    const body = await getRestJson(call);
    if (body === null) return []; // a 404 the call allowed
    if (!Array.isArray(body) || !body.every(isItem)) throw upstreamError(call, 'UPSTREAM_UNAVAILABLE', 'answered with something other than a JSON array of objects');
    return body;
  }

  async function getItem(call: RestCallTarget): Promise<RestItem | null> {
    const body = await getRestJson(call);
    if (body !== null && !isItem(body)) throw upstreamError(call, 'UPSTREAM_UNAVAILABLE', 'answered with something other than a JSON object');
    return body;
  }

  /** Give an item its key under the GraphQL key name (e.g. `id` from `productId`). */
  function normalize(entity: EntityMapping, item: RestItem): RestItem {
    return entity.keyField && entity.keyField !== entity.key ? { ...item, [entity.key]: item[entity.keyField] } : item;
  }

  function entityLoader(loaders: RequestLoaders, typeName: string): DataLoader<string, RestItem | null> {
    const entity = mapping.entities[typeName]!;
    const keyField = entity.keyField ?? entity.key;
    return loaderOf(loaders, `entity:${typeName}`, () =>
      new DataLoader<string, RestItem | null>(
        async (keys) => {
          if (entity.batch) {
            const items = await getItems(target(entity.batch, fill(entity.batch, { ids: keys.map(encodeURIComponent).join(',') })));
            const byKey = new Map(items.map((item) => [String(item[keyField]), normalize(entity, item)]));
            return keys.map((key) => byKey.get(key) ?? null);
          }
          // No batch endpoint: concurrent single GETs; one failing key fails only its own field.
          const get = entity.get!;
          return Promise.all(
            keys.map((key) =>
              getItem(target(get, fill(get, { id: encodeURIComponent(key) }), true)).then(
                (item) => item && normalize(entity, item),
                (err: Error) => err,
              ),
            ),
          );
        },
        { maxBatchSize: entity.maxBatchSize },
      ),
    );
  }

  function hasManyLoader(loaders: RequestLoaders, coordinate: string, field: Extract<FieldMapping, { kind: 'hasMany' }>): DataLoader<string, RestItem[]> {
    return loaderOf(loaders, `hasMany:${coordinate}`, () =>
      new DataLoader<string, RestItem[]>(async (keys) => {
        if (field.path.includes('{ids}')) {
          const items = await getItems(target(field.path, fill(field.path, { ids: keys.map(encodeURIComponent).join(',') })));
          const groups = new Map<string, RestItem[]>(keys.map((key) => [key, []]));
          for (const item of items) groups.get(String(item[field.foreignKey]))?.push(item);
          return keys.map((key) => groups.get(key)!);
        }
        return Promise.all(
          keys.map((key) =>
            getItems(target(field.path, fill(field.path, { id: encodeURIComponent(key) }), true)).catch((err: Error) => err),
          ),
        );
      }),
    );
  }

  /** Items of a type this subgraph serves as an entity: normalize them and prime its loader. */
  function asReturnedItems(loaders: RequestLoaders, typeName: string, items: RestItem[]): RestItem[] {
    const entity = mapping.entities[typeName];
    if (!entity) return items;
    const loader = entityLoader(loaders, typeName);
    return items.map((raw) => {
      const item = normalize(entity, raw);
      if (item[entity.key] !== undefined && item[entity.key] !== null) loader.prime(String(item[entity.key]), item);
      return item;
    });
  }

  /** The key field of a type: the mapping's, else the first field of its first `@key`. */
  function keyOf(typeName: string): string {
    return mapping.entities[typeName]?.key ?? types.get(typeName)?.keys[0]?.[0] ?? 'id';
  }

  function resolverFor(coordinate: string, field: FieldMapping): Resolver {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const returnType = types.get(typeName)!.fields.get(fieldName)!.namedType;
    switch (field.kind) {
      case 'list':
        return async (_parent, args, context) => {
          const url = new URL(base + fill(field.path, mapValues(args, (value) => encodeURIComponent(String(value ?? '')))));
          for (const [arg, param] of Object.entries(field.args)) {
            const value = args[arg];
            if (value !== undefined && value !== null) url.searchParams.set(param, Array.isArray(value) ? value.join(',') : String(value));
          }
          const items = await getItems({ ...target(field.path, ''), url: url.toString() });
          return asReturnedItems(loadersOf(context), returnType, items);
        };
      case 'entity':
        return (parent, args, context) => {
          const key = field.keyArg !== undefined ? args[field.keyArg] : parent[field.from!];
          if (key === undefined || key === null) return null;
          const loader = entityLoader(loadersOf(context), field.type);
          return Array.isArray(key) ? loader.loadMany(key.map(String)) : loader.load(String(key));
        };
      case 'hasMany': {
        const parentKey = field.parentKey ?? keyOf(typeName);
        return async (parent, _args, context) => {
          const key = parent[parentKey];
          if (key === undefined || key === null) return [];
          const loaders = loadersOf(context);
          return asReturnedItems(loaders, returnType, await hasManyLoader(loaders, coordinate, field).load(String(key)));
        };
      }
      case 'reference': {
        const key = keyOf(field.type);
        const toReference = (value: unknown) => (value === undefined || value === null ? null : { __typename: field.type, [key]: value });
        return (parent) => {
          const value = parent[field.from];
          return Array.isArray(value) ? value.map(toReference) : toReference(value);
        };
      }
      case 'rename':
        return (parent) => parent[field.from];
    }
  }

  const resolvers: ResolverMap = {};
  const on = (typeName: string) => (resolvers[typeName] ??= {});
  for (const typeName of Object.keys(mapping.entities)) {
    const key = mapping.entities[typeName]!.key;
    on(typeName).__resolveReference = async (reference: RestItem, context: unknown) => {
      const value = reference[key];
      if (value === undefined || value === null) return null;
      const item = await entityLoader(loadersOf(context), typeName).load(String(value));
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

function mapValues<T>(record: Record<string, unknown>, map: (value: unknown) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

function isItem(value: unknown): value is RestItem {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
