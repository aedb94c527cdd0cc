export { classifyChanges, classifySchemaChanges } from './classify-changes';
export { apiSchemaOf, apiSchemaOfComposed, buildApiSchema, buildClientSchema, buildPlainSchema, isSupergraphSdl } from './api-schema';
export { findReachableTypes } from './reachable-types';
export type { ChangeUsage, Criticality, SchemaChange } from './types';
