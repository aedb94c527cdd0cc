/** Registry authentication and authorization: request → Actor, then `requireScope`. */
export { actorLabel, checkScope, expandScopes, requireScope, SCOPES, scopesOf, type Actor, type Scope, type ScopeCheck } from './actor';
export { bearerTokenReader, RegistryAuthenticator, type CredentialReader, type CredentialResult, type RegistryAuthenticatorOptions } from './authenticate';
export { generateRegistryToken, matchRegistryToken, normaliseRegistryTokens, parseRegistryTokens, registryTokenSchema, sha256Hex, type RegistryToken, type RegistryTokenInput } from './registry-tokens';
export { checkBodyType, checkHost, checkOrigin, guardRequest, hostnameOf, isLoopbackHostname, type RequestGuardOptions } from './request-guard';
