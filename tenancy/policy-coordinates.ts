/**
 * The schema-level check of a policy: every coordinate it names must exist in the schema it guards.
 * The registry refuses a policy (or a schema change) that breaks this; the gateway refuses to compile one.
 */
import { isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Policy } from './policy';

export interface PolicyCompileError {
  coordinate: string;
  message: string;
}

/** Finds the coordinates a policy names that the schema lacks. */
export function checkPolicyCoordinates(policy: Policy, schema: GraphQLSchema): PolicyCompileError[] {
  const errors: PolicyCompileError[] = [];
  for (const coordinate of Object.keys(policy.rules)) {
    const dot = coordinate.indexOf('.');
    const typeName = coordinate.slice(0, dot);
    const fieldName = coordinate.slice(dot + 1);
    const type = schema.getType(typeName);
    if (!type) {
      errors.push({ coordinate, message: `Policy names type "${typeName}", which the schema does not define.` });
    } else if (!isObjectType(type) && !isInterfaceType(type)) {
      errors.push({ coordinate, message: `Policy names "${typeName}", which is not an object or interface type, so it has no fields.` });
    } else if (fieldName !== '*' && !type.getFields()[fieldName]) {
      errors.push({ coordinate, message: `Policy names field "${coordinate}", which the schema does not define.` });
    }
  }
  return errors;
}
