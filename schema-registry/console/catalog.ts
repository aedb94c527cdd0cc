/**
 * The console's catalog of a variant: its subgraphs (owner, lifecycle, the version that last changed
 * each) and every object type's fields with descriptions, arguments, deprecation, the subgraph that
 * resolves each field, seven days of usage, and whether a given tenant may query it ("allowed") or
 * must ask ("request-access"). A field's existence is not secret (RULINGS "Secrecy of the schema"):
 * every tenant sees every field here, the gateway still hides what it may not query from its
 * introspection.
 */
import { isObjectType, isInterfaceType, parse, Kind, type GraphQLField, type GraphQLNamedType } from 'graphql';
import type { CoordinateUsage } from '../../governance/usage';
import type { Policy, Rule } from '../../tenancy/policy';
import type { TenantRecord } from '../../tenancy/tenant-records';
import { apiSchemaOfSupergraph } from '../check-pipeline';
import type { SchemaVersion, VersionSummary } from '../client/wire-types';

export type FieldAccess = 'allowed' | 'request-access' | 'pending';

export interface CatalogField {
  coordinate: string;
  name: string;
  type: string;
  description: string | null;
  args: Array<{ name: string; type: string; description: string | null; defaultValue: unknown }>;
  deprecationReason: string | null;
  /** The subgraph that resolves the field (the first that defines it and does not mark it external). */
  subgraph: string | null;
  owner: string | null;
  usage7d: { count: number; clients: Array<{ client: string; count: number }> };
  /** For the tenant the catalog was built for; absent for a platform admin's catalog without a tenant. */
  access?: FieldAccess;
}

export interface CatalogType {
  name: string;
  kind: 'object' | 'interface';
  description: string | null;
  fields: CatalogField[];
}

export interface CatalogSubgraph {
  name: string;
  owner: string | null;
  status: string;
  /** The routing URL, for platform admins only. */
  url?: string;
  /** The schema version that last published this subgraph. */
  version: number | null;
  updatedAt: string | null;
}

export interface Catalog {
  variant: string;
  versionId: number | null;
  tenant: string | null;
  subgraphs: CatalogSubgraph[];
  types: CatalogType[];
}

export interface CatalogInput {
  head: SchemaVersion | null;
  history: VersionSummary[];
  usage: (coordinates: string[]) => Promise<Map<string, CoordinateUsage>>;
  tenant: TenantRecord | null;
  /** Coordinates with a pending request of the tenant. */
  pending: ReadonlySet<string>;
  showUrls: boolean;
  query?: string;
}

export async function buildCatalog(variant: string, input: CatalogInput): Promise<Catalog> {
  const { head } = input;
  if (!head) return { variant, versionId: null, tenant: input.tenant?.id ?? null, subgraphs: [], types: [] };
  const owners = fieldOwners(head);
  const ownerOf = new Map(head.subgraphs.map((s) => [s.name, s.owner ?? null]));
  const subgraphs: CatalogSubgraph[] = [...head.subgraphs].sort((a, b) => a.name.localeCompare(b.name)).map((s) => {
    const last = input.history.find((v) => v.subgraph === s.name);
    return { name: s.name, owner: s.owner ?? null, status: s.status, ...(input.showUrls ? { url: s.url } : {}), version: last?.id ?? null, updatedAt: last?.createdAt ?? null };
  });
  const schema = apiSchemaOfSupergraph(head.supergraphSdl);
  const words = (input.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const types: CatalogType[] = [];
  for (const type of Object.values(schema.getTypeMap()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    const fields = Object.values(type.getFields())
      .filter((f) => matches(words, type, f))
      .map((f) => fieldOf(type.name, f, owners, ownerOf, input));
    if (fields.length) types.push({ name: type.name, kind: isObjectType(type) ? 'object' : 'interface', description: type.description ?? null, fields });
  }
  const coordinates = types.flatMap((t) => t.fields.map((f) => f.coordinate));
  const usage = coordinates.length ? await input.usage(coordinates) : new Map<string, CoordinateUsage>();
  for (const field of types.flatMap((t) => t.fields)) {
    const used = usage.get(field.coordinate);
    if (used) field.usage7d = { count: used.count, clients: used.clients.map((client) => ({ client, count: used.byClient?.[client] ?? 0 })) };
  }
  return { variant, versionId: head.id, tenant: input.tenant?.id ?? null, subgraphs, types };
}

function matches(words: string[], type: GraphQLNamedType, field: GraphQLField<unknown, unknown>): boolean {
  if (!words.length) return true;
  const text = `${type.name}.${field.name} ${type.description ?? ''} ${field.description ?? ''}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

function fieldOf(typeName: string, f: GraphQLField<unknown, unknown>, owners: Map<string, string>, ownerOf: Map<string, string | null>, input: CatalogInput): CatalogField {
  const coordinate = `${typeName}.${f.name}`;
  const subgraph = owners.get(coordinate) ?? null;
  const field: CatalogField = {
    coordinate,
    name: f.name,
    type: String(f.type),
    description: f.description ?? null,
    args: f.args.map((a) => ({ name: a.name, type: String(a.type), description: a.description ?? null, defaultValue: a.defaultValue ?? null })),
    deprecationReason: f.deprecationReason ?? null,
    subgraph,
    owner: subgraph ? (ownerOf.get(subgraph) ?? null) : null,
    usage7d: { count: 0, clients: [] },
  };
  if (input.tenant) field.access = tenantMayQuery(input.tenant, coordinate) ? 'allowed' : input.pending.has(coordinate) ? 'pending' : 'request-access';
  return field;
}

/** The rule that governs a coordinate for a policy: `Type.field`, else `Type.*`, else the fallback (as the gateway compiles it). */
export function ruleFor(policy: Policy | undefined, coordinate: string): Rule {
  if (!policy) return 'allow';
  const type = coordinate.split('.')[0]!;
  return policy.rules[coordinate] ?? policy.rules[`${type}.*`] ?? policy.fallback;
}

/** Whether the tenant's own keys (its roles and scopes) may query the coordinate. */
export function tenantMayQuery(tenant: Pick<TenantRecord, 'policy' | 'roles' | 'scopes'>, coordinate: string): boolean {
  return evaluate(ruleFor(tenant.policy, coordinate), tenant.roles, tenant.scopes);
}

function evaluate(rule: Rule, roles: readonly string[], scopes: readonly string[]): boolean {
  if (rule === 'allow') return true;
  if (rule === 'deny') return false;
  if ('role' in rule) return roles.includes(rule.role);
  if ('scope' in rule) return scopes.includes(rule.scope);
  if ('and' in rule) return rule.and.every((r) => evaluate(r, roles, scopes));
  if ('or' in rule) return rule.or.some((r) => evaluate(r, roles, scopes));
  return !evaluate(rule.not, roles, scopes);
}

/** `Type.field` → the subgraph that resolves it, from the subgraphs' own SDL. */
export function fieldOwners(head: Pick<SchemaVersion, 'subgraphs'>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const sub of head.subgraphs) {
    let doc;
    try {
      doc = parse(sub.sdl);
    } catch {
      continue;
    }
    for (const def of doc.definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
      for (const field of def.fields ?? []) {
        if (field.directives?.some((d) => d.name.value === 'external')) continue;
        const coordinate = `${def.name.value}.${field.name.value}`;
        if (!owners.has(coordinate)) owners.set(coordinate, sub.name);
      }
    }
  }
  return owners;
}
