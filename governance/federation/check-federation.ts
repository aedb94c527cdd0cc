/** Runs every federation-aware rule on one subgraph's SDL, old → new. */
import type { DocumentNode } from 'graphql';
import { indexSdl } from '../sdl/sdl-index';
import type { SdlIndex } from '../sdl/sdl-index';
import { federationNamesOf } from './federation-names';
import { externalRemoved } from './rules/external-removed';
import { inaccessibleAdded } from './rules/inaccessible-added';
import { keyRemoved } from './rules/key-removed';
import { keyResolvableFalse } from './rules/key-resolvable-false';
import { overrideMoved } from './rules/override-moved';
import { shareableRemoved } from './rules/shareable-removed';
import type { FederationFinding, FederationRule } from './types';

export const FEDERATION_RULES: readonly FederationRule[] = [keyRemoved, keyResolvableFalse, shareableRemoved, externalRemoved, overrideMoved, inaccessibleAdded];

export interface FederationCheckInput {
  subgraph: string;
  /** Parsed or indexed SDL; pass the index when you have it so the document is walked once. */
  old: DocumentNode | SdlIndex;
  new: DocumentNode | SdlIndex;
}

/** All findings of all rules, in rule order. */
export function checkFederation(input: FederationCheckInput): FederationFinding[] {
  const oldIndex = 'types' in input.old ? input.old : indexSdl(input.old);
  const newIndex = 'types' in input.new ? input.new : indexSdl(input.new);
  const ctx = {
    subgraph: input.subgraph,
    old: { index: oldIndex, names: federationNamesOf(oldIndex) },
    new: { index: newIndex, names: federationNamesOf(newIndex) },
  };
  return FEDERATION_RULES.flatMap((rule) => rule.check(ctx));
}
