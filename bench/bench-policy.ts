/**
 * The benchmark tenant's policy: `total` rule nodes (allow, role, scope, and, or) spread over every
 * field coordinate of the API schema, fallback deny, each coordinate's tree evaluating to "allow"
 * for the benchmark principal, so the benchmark queries run whole and every selected field is
 * decided by a real rule tree. The demo supergraph has only ~24 field coordinates, so "200 rules"
 * means 200 rule nodes in those trees (the policy format keys rules by coordinate).
 */
import { isObjectType, type GraphQLSchema } from 'graphql';
import type { Rule } from '../tenancy/policy';

export const BENCH_ROLES = ['reader', 'bench'];
export const BENCH_SCOPES = ['catalog:read', 'reviews:read', 'accounts:read', 'inventory:read'];

/** Every `Type.field` of the schema's object types (introspection types excluded). */
export function fieldCoordinates(schema: GraphQLSchema): string[] {
  const out: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.keys(type.getFields())) out.push(`${type.name}.${field}`);
  }
  return out.sort();
}

/** A tree of exactly `size` nodes that evaluates to `value` for the benchmark principal. */
function tree(size: number, value: boolean, seed: number): Rule {
  if (size === 1) {
    if (value) return ([{ role: BENCH_ROLES[seed % 2]! }, { scope: BENCH_SCOPES[seed % 4]! }, 'allow'] as Rule[])[seed % 3]!;
    return ([{ role: `auditor-${seed}` }, { scope: `admin:${seed}` }] as Rule[])[seed % 2]!;
  }
  if (size === 2) return { and: [tree(1, value, seed + 1)] };
  const rest = size - 1;
  const left = Math.max(1, Math.floor(rest / 2));
  const right = rest - left;
  // An `or` that is true tries a false branch first; an `and` that is true has two true branches.
  if (seed % 2 === 0) return value ? { or: [tree(left, false, seed + 1), tree(right, true, seed + 2)] } : { or: [tree(left, false, seed + 1), tree(right, false, seed + 2)] };
  return value ? { and: [tree(left, true, seed + 1), tree(right, true, seed + 2)] } : { and: [tree(left, true, seed + 1), tree(right, false, seed + 2)] };
}

export function countRuleNodes(rule: Rule): number {
  if (typeof rule === 'string' || 'role' in rule || 'scope' in rule) return 1;
  if ('and' in rule) return 1 + rule.and.reduce((n, r) => n + countRuleNodes(r), 0);
  if ('or' in rule) return 1 + rule.or.reduce((n, r) => n + countRuleNodes(r), 0);
  return 1 + countRuleNodes(rule.not);
}

export function generateBenchPolicy(schema: GraphQLSchema, total = 200): { mode: 'filter'; fallback: Rule; rules: Record<string, Rule>; coordinates: number; ruleNodes: number } {
  const coordinates = fieldCoordinates(schema);
  const rules: Record<string, Rule> = {};
  coordinates.forEach((coordinate, i) => {
    const size = Math.floor(total / coordinates.length) + (i < total % coordinates.length ? 1 : 0);
    rules[coordinate] = tree(size, true, i);
  });
  const ruleNodes = Object.values(rules).reduce((n, r) => n + countRuleNodes(r), 0);
  return { mode: 'filter', fallback: 'deny', rules, coordinates: coordinates.length, ruleNodes };
}
