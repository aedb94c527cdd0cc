/**
 * The names a subgraph uses for federation directives. Federation 2 subgraphs `@link` the spec
 * and may import directives under other names (`{ name: "@key", as: "@primaryKey" }`); what is
 * not imported is namespaced (`@federation__override`). Federation 1 subgraphs use bare names.
 */
import { Kind } from 'graphql';
import type { ConstValueNode } from 'graphql';
import type { SdlIndex } from '../sdl/sdl-index';

export type FederationDirective = 'key' | 'shareable' | 'external' | 'override' | 'inaccessible' | 'requires' | 'provides' | 'tag';

export type FederationNames = Record<FederationDirective, string>;

const DIRECTIVES: FederationDirective[] = ['key', 'shareable', 'external', 'override', 'inaccessible', 'requires', 'provides', 'tag'];

/** Resolves the local name of each federation directive in a subgraph. */
export function federationNamesOf(index: SdlIndex): FederationNames {
  const names = Object.fromEntries(DIRECTIVES.map((d) => [d, d])) as FederationNames;
  for (const node of index.schemaNodes) {
    for (const link of node.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const args = new Map((link.arguments ?? []).map((a) => [a.name.value, a.value]));
      const url = stringValue(args.get('url'));
      if (!url || !/\/federation\/v\d/.test(url)) continue;
      const prefix = stringValue(args.get('as')) ?? 'federation';
      for (const d of DIRECTIVES) names[d] = `${prefix}__${d}`;
      const imports = args.get('import');
      for (const item of imports?.kind === Kind.LIST ? imports.values : []) {
        const [imported, alias] = importOf(item);
        const name = imported?.replace(/^@/, '') as FederationDirective | undefined;
        if (name && DIRECTIVES.includes(name)) names[name] = (alias ?? imported!).replace(/^@/, '');
      }
    }
  }
  return names;
}

function importOf(item: ConstValueNode): [string | undefined, string | undefined] {
  if (item.kind === Kind.STRING) return [item.value, undefined];
  if (item.kind !== Kind.OBJECT) return [undefined, undefined];
  const field = (name: string) => stringValue(item.fields.find((f) => f.name.value === name)?.value);
  return [field('name'), field('as')];
}

function stringValue(value: ConstValueNode | undefined): string | undefined {
  return value?.kind === Kind.STRING ? value.value : undefined;
}
