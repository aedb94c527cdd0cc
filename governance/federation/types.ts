/** Findings of the federation-aware checks on a subgraph's SDL, old → new. */
import type { FederationNames } from './federation-names';
import type { SdlIndex } from '../sdl/sdl-index';
import type { Criticality } from '../changes/types';

export interface FederationFinding {
  /** The rule's name, e.g. `key-removed`. */
  rule: string;
  criticality: Criticality;
  coordinate: string;
  message: string;
}

/** One side of the change: the indexed SDL and its federation directive names. */
export interface SubgraphSide {
  index: SdlIndex;
  names: FederationNames;
}

export interface FederationRuleContext {
  subgraph: string;
  old: SubgraphSide;
  new: SubgraphSide;
}

/** A federation rule: a pure function of the two sides. */
export interface FederationRule {
  name: string;
  check(ctx: FederationRuleContext): FederationFinding[];
}
