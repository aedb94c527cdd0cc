/**
 * Change classification on client-facing schemas: @graphql-inspector/core finds the changes,
 * our criticality table (criticality-table.ts) decides how much each one matters.
 */
import { diff } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';
import { buildClientSchema } from './api-schema';
import { coordinateOf, typeNameOf, usageCoordinatesOf } from './coordinates';
import { decideCriticality } from './criticality-table';
import { findReachableTypes } from './reachable-types';
import type { SchemaChange } from './types';

/**
 * Classifies the changes from `oldSdl` to `newSdl`. Each may be a supergraph (its API schema is
 * compared) or plain SDL. Throws CharterError(INVALID_SCHEMA) naming "old"/"new" and the line
 * when an SDL does not parse or build.
 */
export async function classifyChanges(oldSdl: string, newSdl: string): Promise<SchemaChange[]> {
  return classifySchemaChanges(buildClientSchema(oldSdl, 'old'), buildClientSchema(newSdl, 'new'));
}

/** Classifies changes between two built client schemas (callers that already hold them skip a re-parse). */
export async function classifySchemaChanges(oldSchema: GraphQLSchema, newSchema: GraphQLSchema): Promise<SchemaChange[]> {
  const engineChanges = await diff(oldSchema, newSchema);
  const reachableBefore = findReachableTypes(oldSchema);
  const changes: SchemaChange[] = [];
  for (const change of engineChanges) {
    const coordinate = coordinateOf(change);
    const verdict = decideCriticality(change, { oldSchema, newSchema, reachableBefore, typeName: typeNameOf(coordinate) });
    if (!verdict) continue;
    const classified: SchemaChange = { criticality: verdict.criticality, type: change.type, coordinate, message: change.message };
    if (verdict.reason) classified.reason = verdict.reason;
    if (verdict.criticality === 'BREAKING') {
      const usageCoordinates = usageCoordinatesOf(change, coordinate, oldSchema);
      if (usageCoordinates) classified.usageCoordinates = usageCoordinates;
    }
    changes.push(classified);
  }
  return changes;
}
