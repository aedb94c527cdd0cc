/**
 * `charter rest import`: turn an OpenAPI 3.0/3.1 document into a REST subgraph's SDL and mapping.
 * Types come from schemas (`$ref`s resolved by @readme/openapi-parser, names kept), queries from
 * GETs, mutations from the other methods, entities where the document makes them clear (a GET by
 * one path parameter returning an object with that property). Where it is not clear, the output
 * says so in `TODO` comments. Relations no document describes come from `x-charter-*` extensions:
 *   - schema:    `x-charter-type` (the GraphQL type name), `x-charter-key-field` (REST field holding `id`)
 *   - operation: `x-charter-field` (the GraphQL field name), `x-charter-batch` (the entity's batch endpoint)
 *   - parameter: `x-charter-arg` (the GraphQL argument name)
 */
import { bundle, compileErrors, validate } from '@readme/openapi-parser';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { RestMapping } from '../wrap/mapping';

type Json = Record<string, any>;

export interface ImportedSubgraph {
  sdl: string;
  mapping: RestMapping;
  /** The mapping as a commented `.rest.yaml`. */
  mappingYaml: string;
  /** What the document did not make clear; also written as comments in both files. */
  todos: string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const SCHEMA_REF = /^#\/components\/schemas\/(.+)$/;

export async function importOpenApi(source: string | Json, options: { name: string }): Promise<ImportedSubgraph> {
  const where = typeof source === 'string' ? source : 'the document';
  // A URL is fetched here (loopback only), a file is left to the parser so its relative $refs resolve.
  const input = typeof source === 'string' && /^https?:\/\//i.test(source) ? await fetchLoopbackDocument(source) : source;
  // Structural validation first, so a broken document fails with the parser's own list of problems.
  const clone = () => (typeof input === 'string' ? input : structuredClone(input)) as never;
  const verdict = await validate(clone());
  if (!verdict.valid) throw new Error(`OpenAPI document ${where} is not valid:\n${compileErrors(verdict)}`);
  const doc = (await bundle(clone())) as Json;
  return new Importer(doc, options.name).run();
}

/**
 * Fetch a document from a loopback URL. Other hosts are refused: the command may run where the
 * network reaches internal services, and a document URL must not become a way to probe them.
 */
async function fetchLoopbackDocument(url: string): Promise<Json> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (!(host === 'localhost' || host === '::1' || /^127\./.test(host))) throw new Error(`OpenAPI document ${url}: only loopback URLs (127.0.0.1, localhost, ::1) are fetched; download it and pass the file`);
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json, application/yaml' } });
  if (!response.ok) throw new Error(`OpenAPI document ${url}: answered HTTP ${response.status}`);
  const text = await response.text();
  try {
    return parseYaml(text) as Json; // YAML is a superset of JSON
  } catch (err) {
    throw new Error(`OpenAPI document ${url}: neither JSON nor YAML (${(err as Error).message})`);
  }
}

class Importer {
  private readonly blocks = new Map<string, string>();
  private readonly todos: string[] = [];
  private readonly mapping: { entities: NonNullable<RestMapping['entities']>; fields: NonNullable<RestMapping['fields']>; enums: NonNullable<RestMapping['enums']>; unions: NonNullable<RestMapping['unions']> } = {
    entities: {},
    fields: {},
    enums: {},
    unions: {},
  };
  private readonly queries: string[] = [];
  private readonly mutations: string[] = [];
  /** Type name -> its key field, for types that became entities. */
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly doc: Json,
    private readonly name: string,
  ) {}

  run(): ImportedSubgraph {
    for (const [path, item] of Object.entries<Json>(this.doc.paths ?? {})) {
      for (const method of METHODS) if (item[method]) this.operation(path, method, item[method], [...(item.parameters ?? []), ...(item[method].parameters ?? [])]);
    }
    const typeBlocks = [...this.blocks.entries()].map(([typeName, block]) => (this.keys.has(typeName) ? block.replace(`type ${typeName} {`, `type ${typeName} @key(fields: "${this.keys.get(typeName)}") {`) : block));
    const root = (name: string, fields: string[]) => (fields.length ? `type ${name} {\n${fields.join('\n')}\n}` : '');
    const header = `# Imported from OpenAPI "${this.doc.info?.title ?? this.name}" ${this.doc.info?.version ?? ''} by charter rest import; edit before publishing.\n${this.todos.map((todo) => `# TODO: ${todo}\n`).join('')}`;
    const sdl = [
      header + 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])',
      ...typeBlocks,
      root('Query', this.queries),
      root('Mutation', this.mutations),
    ]
      .filter(Boolean)
      .join('\n\n');
    const mapping: RestMapping = { entities: this.mapping.entities, fields: this.mapping.fields };
    if (Object.keys(this.mapping.enums).length) mapping.enums = this.mapping.enums;
    if (Object.keys(this.mapping.unions).length) mapping.unions = this.mapping.unions;
    const mappingYaml = `# ${this.name}: generated by charter rest import from "${this.doc.info?.title ?? 'OpenAPI'}".\n${this.todos.map((todo) => `# TODO: ${todo}\n`).join('')}${toYaml(mapping)}`;
    return { sdl: `${sdl}\n`, mapping, mappingYaml, todos: this.todos };
  }

  private operation(path: string, method: (typeof METHODS)[number], op: Json, rawParams: Json[]): void {
    const params = rawParams.map((param) => this.resolve(param));
    const fieldName = graphqlName(op['x-charter-field'] ?? op.operationId ?? `${method}${path}`, 'camel');
    const description = describe(op.summary ?? op.description, '  ');
    const success = Object.entries<Json>(op.responses ?? {}).find(([status]) => /^2\d\d$/.test(status));
    const schema = success?.[1] && this.resolve(success[1]).content?.['application/json']?.schema;
    const pathParams = params.filter((param) => param.in === 'path');
    const queryParams = params.filter((param) => param.in === 'query');
    const argName = (param: Json) => graphqlName(param['x-charter-arg'] ?? param.name, 'camel');
    const coordinate = (root: string) => `${root}.${fieldName}`;

    if (method === 'get') {
      if (!schema) return void this.todos.push(`${method.toUpperCase()} ${path}: no JSON success response, not imported`);
      const resolved = this.resolve(schema);
      if (resolved.type === 'array') {
        const itemType = this.outputType(resolved.items, `${pascal(fieldName)}Item`);
        const args = [...pathParams, ...queryParams].map((param) => `${argName(param)}: ${this.inputType(param.schema, pascal(param.name))}${param.required ? '!' : ''}`);
        this.queries.push(`${description}  ${fieldName}${args.length ? `(${args.join(', ')})` : ''}: [${itemType}!]!`);
        const queryArgs = Object.fromEntries(queryParams.map((param) => [argName(param), param.name]));
        this.mapping.fields[coordinate('Query')] = { list: path.replace(/\{([^}]+)\}/g, (_m, p: string) => `{${argName(pathParams.find((param) => param.name === p) ?? { name: p })}}`), ...(queryParams.length ? { args: queryArgs } : {}) };
        if (op['x-charter-batch']) this.entity(itemType, resolved.items, { batch: op['x-charter-batch'] });
        return;
      }
      const typeName = this.outputType(schema, pascal(fieldName));
      const keyParam = pathParams.length === 1 ? pathParams[0]! : undefined;
      const object = this.resolve(schema);
      if (keyParam && this.propertiesOf(object)[keyParam.name] !== undefined) {
        this.entity(typeName, schema, { get: path.replace(`{${keyParam.name}}`, '{id}'), batch: op['x-charter-batch'], key: keyParam.name });
        this.queries.push(`${description}  ${fieldName}(${argName(keyParam)}: ID!): ${typeName}`);
        this.mapping.fields[coordinate('Query')] = { entity: typeName, keyArg: argName(keyParam) };
        return;
      }
      this.todos.push(`GET ${path} (${fieldName}): returns one object not clearly keyed by a path parameter; map it by hand`);
      return;
    }

    const args = pathParams.map((param) => `${argName(param)}: ${this.inputType(param.schema, pascal(param.name))}!`);
    const mapped: Json = { [method]: path.replace(/\{([^}]+)\}/g, (_m, p: string) => `{${argName(pathParams.find((param) => param.name === p) ?? { name: p })}}`) };
    const bodySchema = op.requestBody && this.resolve(op.requestBody).content?.['application/json']?.schema;
    if (bodySchema) {
      args.push(`input: ${this.inputType(bodySchema, `${pascal(fieldName)}Input`)}${this.resolve(op.requestBody).required ? '!' : ''}`);
      mapped.body = 'input';
    }
    const idempotency = params.find((param) => param.in === 'header' && String(param.name).toLowerCase() === 'idempotency-key');
    if (idempotency) {
      args.push('idempotencyKey: String');
      mapped.headers = { [idempotency.name]: 'idempotencyKey' };
    }
    for (const param of queryParams) this.todos.push(`${method.toUpperCase()} ${path}: query parameter "${param.name}" of a write is not mapped`);
    const returns = schema ? this.outputType(schema, `${pascal(fieldName)}Result`) : 'Boolean';
    this.mutations.push(`${description}  ${fieldName}${args.length ? `(${args.join(', ')})` : ''}: ${returns}`);
    this.mapping.fields[coordinate('Mutation')] = mapped as never;
  }

  private entity(typeName: string, schema: Json, how: { get?: string; batch?: string; key?: string }): void {
    const object = this.resolve(schema);
    const keyField = object['x-charter-key-field'] as string | undefined;
    const key = keyField ? 'id' : (how.key ?? 'id');
    const existing = (this.mapping.entities[typeName] ?? {}) as Json;
    this.mapping.entities[typeName] = { ...existing, key, ...(keyField ? { keyField } : {}), ...(how.get ? { get: how.get } : {}), ...(how.batch ? { batch: how.batch } : {}) } as never;
    this.keys.set(typeName, key);
    // The key field is an ID (and present even when the REST item names it differently).
    const block = this.blocks.get(typeName)!;
    this.blocks.set(typeName, new RegExp(`\\n  ${key}: [^\\n]+`).test(block) ? block.replace(new RegExp(`\\n  ${key}: [^\\n]+`), `\n  ${key}: ID!`) : block.replace(/\{\n/, `{\n  ${key}: ID!\n`));
  }

  /** Follow a local `$ref` (bundled documents have only local ones). */
  private resolve(node: Json): Json {
    let current = node;
    for (let hops = 0; current?.$ref && hops < 32; hops++) {
      current = String(current.$ref)
        .replace(/^#\//, '')
        .split('/')
        .reduce<any>((value, step) => value?.[step.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
    }
    return current ?? {};
  }

  private refName(node: Json): string | undefined {
    const match = typeof node?.$ref === 'string' ? SCHEMA_REF.exec(node.$ref) : null;
    if (!match) return undefined;
    const target = this.resolve(node);
    return graphqlName(target['x-charter-type'] ?? match[1], 'pascal');
  }

  private outputType(node: Json, hint: string): string {
    const name = this.refName(node);
    const schema = this.resolve(node);
    const typeName = name ?? graphqlName(schema['x-charter-type'] ?? hint, 'pascal');
    if (schema.enum) return this.enumType(schema, typeName);
    if (schema.oneOf || schema.anyOf) return this.unionType(schema.oneOf ?? schema.anyOf, schema.discriminator, typeName);
    if (schema.type === 'array') return `[${this.outputType(schema.items ?? {}, `${typeName}Item`)}!]`;
    if (schema.type === 'object' || schema.properties || schema.allOf) {
      if (this.blocks.has(typeName)) return typeName;
      this.blocks.set(typeName, ''); // reserve: recursive schemas refer to themselves
      const properties = this.propertiesOf(schema);
      const required = new Set<string>(this.requiredOf(schema));
      const lines: string[] = [];
      for (const [property, propertySchema] of Object.entries<Json>(properties)) {
        const fieldName = graphqlName(property, 'camel');
        lines.push(`${describe(this.resolve(propertySchema).description, '  ')}  ${fieldName}: ${this.outputType(propertySchema, typeName + pascal(property))}${required.has(property) ? '!' : ''}`);
        if (fieldName !== property) this.mapping.fields[`${typeName}.${fieldName}`] = { from: property };
      }
      if (lines.length === 0) {
        this.todos.push(`schema ${typeName} has no properties; given a placeholder field`);
        lines.push('  _empty: Boolean');
      }
      this.blocks.set(typeName, `${describe(schema.description, '')}type ${typeName} {\n${lines.join('\n')}\n}`);
      return typeName;
    }
    return scalarOf(schema);
  }

  private inputType(node: Json | undefined, hint: string): string {
    if (!node) return 'String';
    const schema = this.resolve(node);
    const name = this.refName(node);
    if (schema.enum) return this.enumType(schema, name ?? graphqlName(hint, 'pascal'));
    if (schema.type === 'array') return `[${this.inputType(schema.items, `${hint}Item`)}!]`;
    if (schema.oneOf || schema.anyOf) {
      this.todos.push(`input ${hint}: oneOf/anyOf in a request body is taken as a JSON string field; map it by hand`);
      return 'String';
    }
    if (schema.type === 'object' || schema.properties || schema.allOf) {
      const typeName = name ? `${name}Input` : graphqlName(hint, 'pascal');
      if (this.blocks.has(typeName)) return typeName;
      this.blocks.set(typeName, '');
      const required = new Set<string>(this.requiredOf(schema));
      const lines = Object.entries<Json>(this.propertiesOf(schema))
        .filter(([, propertySchema]) => !this.resolve(propertySchema).readOnly)
        .map(([property, propertySchema]) => `  ${graphqlName(property, 'camel')}: ${this.inputType(propertySchema, typeName.replace(/Input$/, '') + pascal(property) + 'Input')}${required.has(property) ? '!' : ''}`);
      this.blocks.set(typeName, `input ${typeName} {\n${lines.join('\n') || '  _empty: Boolean'}\n}`);
      return typeName;
    }
    return scalarOf(schema);
  }

  private enumType(schema: Json, typeName: string): string {
    if (this.blocks.has(typeName)) return typeName;
    const values = (schema.enum as unknown[]).filter((value) => value !== null);
    const names = values.map((value) => graphqlName(String(value), 'constant'));
    this.blocks.set(typeName, `${describe(schema.description, '')}enum ${typeName} {\n${names.map((n) => `  ${n}`).join('\n')}\n}`);
    if (values.some((value, index) => String(value) !== names[index] || typeof value !== 'string')) {
      this.mapping.enums[typeName] = Object.fromEntries(names.map((n, index) => [n, values[index] as string | number]));
    }
    return typeName;
  }

  private unionType(members: Json[], discriminator: Json | undefined, typeName: string): string {
    if (this.blocks.has(typeName)) return typeName;
    this.blocks.set(typeName, '');
    const memberTypes = members.map((member, index) => this.outputType(member, `${typeName}Option${index + 1}`));
    if (memberTypes.some((member) => !this.blocks.get(member)?.startsWith('type ') && !this.blocks.get(member)?.includes('\ntype '))) {
      this.todos.push(`${typeName}: oneOf members that are not objects cannot be a GraphQL union; given as String`);
      this.blocks.delete(typeName);
      return 'String';
    }
    this.blocks.set(typeName, `union ${typeName} = ${memberTypes.join(' | ')}`);
    if (discriminator?.propertyName) {
      const values: Record<string, string> = {};
      members.forEach((member, index) => {
        const explicit = Object.entries<string>(discriminator.mapping ?? {}).find(([, ref]) => ref === member.$ref)?.[0];
        const constant = this.resolve(member).properties?.[discriminator.propertyName];
        const value = explicit ?? this.resolve(constant ?? {}).enum?.[0] ?? member.$ref?.split('/').pop();
        if (value !== undefined) values[String(value)] = memberTypes[index]!;
      });
      this.mapping.unions[typeName] = { property: discriminator.propertyName, values };
    } else {
      this.mapping.unions[typeName] = { required: Object.fromEntries(members.map((member, index) => [memberTypes[index]!, this.requiredOf(this.resolve(member))])) };
    }
    return typeName;
  }

  private propertiesOf(schema: Json): Json {
    return Object.assign({}, ...(schema.allOf ?? []).map((part: Json) => this.propertiesOf(this.resolve(part))), schema.properties ?? {});
  }

  private requiredOf(schema: Json): string[] {
    return [...(schema.allOf ?? []).flatMap((part: Json) => this.requiredOf(this.resolve(part))), ...(schema.required ?? [])];
  }
}

function scalarOf(schema: Json): string {
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer':
      // GraphQL Int is 32-bit: int64 values would not fit.
      return schema.format === 'int64' ? 'Float' : 'Int';
    case 'number':
      return 'Float';
    case 'boolean':
      return 'Boolean';
    default:
      return 'String';
  }
}

function describe(text: unknown, indent: string): string {
  if (typeof text !== 'string' || text.trim() === '') return '';
  return `${indent}"""${text.trim().replace(/"""/g, '\\"""')}"""\n`;
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** A valid GraphQL name from any string: `first-name` -> firstName, `in-stock` -> IN_STOCK. */
export function graphqlName(text: string, style: 'camel' | 'pascal' | 'constant'): string {
  let name: string;
  if (style === 'constant') name = text.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
  else {
    const p = pascal(text);
    name = style === 'pascal' ? p : p.charAt(0).toLowerCase() + p.slice(1);
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text) && style === 'camel') name = text;
  }
  if (!/^[A-Za-z_]/.test(name)) name = `_${name}`;
  return name || '_';
}
