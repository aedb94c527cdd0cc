export { checkFederation, FEDERATION_RULES } from './check-federation';
export type { FederationCheckInput } from './check-federation';
export { federationNamesOf } from './federation-names';
export type { FederationFinding, FederationRule, FederationRuleContext } from './types';
