/** Test helper: runs one federation rule on two subgraph SDLs. */
import { parse } from 'graphql';
import { indexSdl } from '../sdl/sdl-index';
import { federationNamesOf } from './federation-names';
import type { FederationFinding, FederationRule } from './types';

export const FED2 = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@override", "@inaccessible", "@requires"])`;

export function runRule(rule: FederationRule, oldSdl: string, newSdl: string, subgraph = 'products'): FederationFinding[] {
  const side = (sdl: string) => {
    const index = indexSdl(parse(sdl));
    return { index, names: federationNamesOf(index) };
  };
  return rule.check({ subgraph, old: side(oldSdl), new: side(newSdl) });
}
