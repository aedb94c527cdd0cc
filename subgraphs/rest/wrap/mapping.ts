/**
 * The mapping document that turns a REST API into a Federation 2 subgraph: which types are
 * entities and how to fetch them, and how each field reads from the API. A mapping is data
 * (usually a `.rest.yaml` file); `build.ts` generates the resolvers and loaders from it.
 * The format is documented in `subgraphs/rest/README.md`.
 */
import { z } from 'zod';
import { backendAuthSchema } from './backend-auth-config';
import { paginationSchema, type PaginationConfig } from './pagination-config';

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const COORDINATE = /^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*$/;

const name = z.string().regex(NAME, 'must be a GraphQL name');
/** A property path in a JSON item or in the arguments: `address.city`, `data.results`. */
const jsonPath = z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a dotted property path like "address.city"');
/** A per-endpoint deadline; overrides the subgraph's `timeoutMs`. */
const timeoutMs = z.number().int().positive().max(300_000);
const headerName = z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name');
/** A path on the REST API, relative to the subgraph's `baseUrl`, with `{placeholders}`. */
const endpoint = z.string().startsWith('/', 'must start with "/"');

const entitySchema = z
  .object({
    /** The `@key` fields: `id`, or several separated by spaces for a composite key (`sku region`). */
    key: z.string().regex(/^[_A-Za-z][_0-9A-Za-z]*( +[_A-Za-z][_0-9A-Za-z]*)*$/, 'must be one GraphQL field name or several separated by spaces').default('id'),
    /** The REST item field holding the key, when it is not named like the key (e.g. `productId`); single keys only. */
    keyField: name.optional(),
    /** One item by key: `/users/{id}` (a composite key: `/stock/{sku}/{region}`). A 404 resolves to null. */
    get: endpoint.optional(),
    /**
     * Many items by key in one call: `/users?ids={ids}` (keys joined with commas). A composite key
     * uses `{keys}`: each key's values joined with `keySeparator`, the pairs with commas
     * (`/stock?pairs={keys}` -> `?pairs=A1:eu,B2:us`). Preferred over `get`.
     */
    batch: endpoint.optional(),
    /** Between the values of one composite key in `{keys}` (default ":"). */
    keySeparator: z.string().min(1).max(3).default(':'),
    /** Split larger batches into several calls (URLs have length limits). */
    maxBatchSize: z.number().int().positive().optional(),
    /** Where the list sits in the batch answer, when it is wrapped: `data.results`. */
    items: jsonPath.optional(),
    timeoutMs: timeoutMs.optional(),
  })
  .strict()
  .superRefine((entity, ctx) => {
    const problem = (message: string, path?: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, message, path: path === undefined ? [] : [path] });
    const keyFields = entity.key.split(/ +/);
    if (entity.get === undefined && entity.batch === undefined) problem('needs "get" or "batch"');
    if (keyFields.length === 1) {
      if (entity.get !== undefined && !entity.get.includes('{id}') && !entity.get.includes(`{${entity.key}}`)) problem(`must contain {id}`, 'get');
      if (entity.batch !== undefined && !entity.batch.includes('{ids}')) problem('must contain {ids}', 'batch');
    } else {
      if (entity.keyField !== undefined) problem('"keyField" applies to single-field keys only', 'keyField');
      for (const field of keyFields) if (entity.get !== undefined && !entity.get.includes(`{${field}}`)) problem(`must contain {${field}} (a composite key fills each field)`, 'get');
      if (entity.batch !== undefined && !entity.batch.includes('{keys}')) problem('must contain {keys} (a composite key sends pairs)', 'batch');
    }
  })
  .transform((entity) => ({ ...entity, keyFields: entity.key.split(/ +/) }));

/**
 * One field's source. Exactly one of `list`, `entity`, `hasMany`, `reference` or a lone `from`:
 * written flat in YAML, turned into a tagged union here so the builder can switch on `kind`.
 */
const fieldSchema = z
  .object({
    list: endpoint.optional(),
    args: z.record(name, z.string().min(1)).optional(),
    /** Where the list sits in the answer, when it is wrapped in an envelope: `data.results`. */
    items: jsonPath.optional(),
    /** The backend pages this list: the field returns a connection for `first`/`after`. */
    paginate: paginationSchema.optional(),
    post: endpoint.optional(),
    put: endpoint.optional(),
    patch: endpoint.optional(),
    delete: endpoint.optional(),
    /** The JSON body of a write: one argument (`input`) or JSON property path -> argument path. */
    body: z.union([jsonPath, z.record(jsonPath, jsonPath)]).optional(),
    /** Where the field's value sits in the write's answer (default: the whole answer). */
    result: jsonPath.optional(),
    /** Request headers from arguments: header name -> argument name (e.g. Idempotency-Key: idempotencyKey). */
    headers: z.record(headerName, name).optional(),
    /** Caller request headers copied to the backend when present (e.g. idempotency-key). */
    passHeaders: z.array(headerName).optional(),
    timeoutMs: timeoutMs.optional(),
    entity: name.optional(),
    keyArg: name.optional(),
    hasMany: endpoint.optional(),
    foreignKey: name.optional(),
    parentKey: name.optional(),
    reference: name.optional(),
    from: jsonPath.optional(),
  })
  .strict()
  .transform((field, ctx): FieldMapping => {
    const kinds = (['list', 'entity', 'hasMany', 'reference', ...WRITE_METHODS] as const).filter((kind) => field[kind] !== undefined);
    const fail = (message: string): FieldMapping => {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    };
    if (kinds.length > 1) return fail(`has both "${kinds[0]}" and "${kinds[1]}"; a field has one source`);
    const writeKeys = ['body', 'result', 'headers', 'passHeaders', 'timeoutMs'] as const;
    const allowed: Record<string, ReadonlyArray<keyof typeof field>> = {
      list: ['list', 'args', 'items', 'paginate', 'timeoutMs'],
      entity: ['entity', 'keyArg', 'from'],
      hasMany: ['hasMany', 'foreignKey', 'parentKey', 'items', 'timeoutMs'],
      post: ['post', ...writeKeys],
      put: ['put', ...writeKeys],
      patch: ['patch', ...writeKeys],
      delete: ['delete', ...writeKeys],
      reference: ['reference', 'from'],
      rename: ['from'],
    };
    const kind = kinds.length > 0 ? kinds[0]! : 'rename';
    const extra = (Object.keys(field) as Array<keyof typeof field>).find((key) => field[key] !== undefined && !allowed[kind]!.includes(key));
    if (extra) return fail(`"${extra}" does not apply to a ${kind} field`);
    switch (kind) {
      case 'post':
      case 'put':
      case 'patch':
      case 'delete':
        return {
          kind: 'write',
          method: kind.toUpperCase() as WriteMethod,
          path: field[kind]!,
          body: field.body,
          result: field.result,
          headers: field.headers ?? {},
          passHeaders: (field.passHeaders ?? []).map((header) => header.toLowerCase()),
          timeoutMs: field.timeoutMs,
        };
      case 'list':
        return { kind, path: field.list!, args: field.args ?? {}, items: field.items, paginate: field.paginate, timeoutMs: field.timeoutMs };
      case 'entity':
        if ((field.keyArg === undefined) === (field.from === undefined)) return fail('an entity field needs exactly one of "keyArg" (root fields) or "from" (parent field)');
        return { kind, type: field.entity!, keyArg: field.keyArg, from: field.from };
      case 'hasMany':
        if (!field.foreignKey) return fail('a hasMany field needs "foreignKey" (the item field holding the parent key)');
        if (!field.hasMany!.includes('{ids}') && !field.hasMany!.includes('{id}')) return fail('"hasMany" must contain {ids} (batched) or {id} (one call per parent)');
        return { kind, path: field.hasMany!, foreignKey: field.foreignKey, parentKey: field.parentKey, items: field.items, timeoutMs: field.timeoutMs };
      case 'reference':
        if (!field.from) return fail('a reference field needs "from" (the parent field holding the key)');
        return { kind, type: field.reference!, from: field.from };
      case 'rename':
        if (!field.from) return fail('needs one of "list", "entity", "hasMany", "reference", "post", "put", "patch", "delete" or "from"');
        return { kind, from: field.from };
    }
    return fail(`unknown field kind ${kind satisfies never}`);
  });

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'] as const;
export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type FieldMapping =
  /** An array from a list endpoint (inside `items` when enveloped); `args` maps GraphQL argument -> query parameter. */
  | { kind: 'list'; path: string; args: Record<string, string>; items: string | undefined; paginate: PaginationConfig | undefined; timeoutMs: number | undefined }
  /** A mutation sent as POST/PUT/PATCH/DELETE; never retried. */
  | {
      kind: 'write';
      method: WriteMethod;
      path: string;
      body: string | Record<string, string> | undefined;
      result: string | undefined;
      headers: Record<string, string>;
      /** Lower-cased. */
      passHeaders: string[];
      timeoutMs: number | undefined;
    }
  /** One entity through its loader, keyed by an argument (root fields) or a parent field. */
  | { kind: 'entity'; type: string; keyArg: string | undefined; from: string | undefined }
  /** Children whose `foreignKey` holds the parent's key, fetched for all parents at once. */
  | { kind: 'hasMany'; path: string; foreignKey: string; parentKey: string | undefined; items: string | undefined; timeoutMs: number | undefined }
  /** A `{__typename, key}` reference another subgraph resolves; no REST call. */
  | { kind: 'reference'; type: string; from: string }
  /** The parent item's field under another name, or a nested property (`address.city`). */
  | { kind: 'rename'; from: string };

export const restMappingSchema = z
  .object({
    entities: z.record(name, entitySchema).default({}),
    /** Entity types this subgraph only references or extends: their representation is the parent. */
    stubs: z.array(name).default([]),
    fields: z.record(z.string().regex(COORDINATE, 'must be a "Type.field" coordinate'), fieldSchema).default({}),
    /** GraphQL enum value -> the REST value, per enum type: used for results and arguments alike. */
    enums: z.record(name, z.record(name, z.union([z.string(), z.number()]))).default({}),
    /**
     * How to tell a union's member from a REST item: by a discriminator property's value
     * (`{ property: type, values: { card: CardPayment } }`) or by which required properties it has.
     */
    unions: z
      .record(
        name,
        z.union([
          z.object({ property: z.string().min(1), values: z.record(z.string(), name) }).strict(),
          z.object({ required: z.record(name, z.array(z.string())) }).strict(),
        ]),
      )
      .default({}),
    /** How the subgraph authenticates to the backend (see backend-auth.ts). */
    auth: backendAuthSchema.optional(),
  })
  .strict();

/** A mapping document as written (YAML, or a literal in code). */
export type RestMapping = z.input<typeof restMappingSchema>;
/** A validated mapping with defaults filled in and each field tagged with its `kind`. */
export type ParsedRestMapping = z.output<typeof restMappingSchema>;
export type EntityMapping = ParsedRestMapping['entities'][string];

/** Validate a mapping document; every problem is listed in one Error, each with its key path. */
export function parseRestMapping(document: unknown, source: string): ParsedRestMapping {
  const result = restMappingSchema.safeParse(document ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new Error(`Invalid REST mapping ${source}:\n${problems.join('\n')}`);
}
