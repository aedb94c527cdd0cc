/** A hand-built report covering every section, shared by the formatter tests. */
import type { CheckReport } from '../check';

export const SDL = `type Query {
  user(id: ID!): User
}

type User {
  id: ID!
  bad_name: String
}
`;

export function sampleReport(): CheckReport {
  return {
    verdict: 'fail',
    subgraph: 'users',
    changes: [
      { criticality: 'BREAKING', type: 'FIELD_REMOVED', coordinate: 'User.email', message: "Field 'email' was removed from object type 'User'", usageCoordinates: ['User.email'] },
      {
        criticality: 'BREAKING',
        type: 'FIELD_ARGUMENT_TYPE_CHANGED',
        coordinate: 'Query.user(id:)',
        message: "Type for argument 'id' changed: 0 requests in the last 7 days -> safe",
        usage: { count: 0, clients: [], windowDays: 7 },
        safeByUsage: true,
      },
      { criticality: 'SAFE', type: 'FIELD_ADDED', coordinate: 'User.bad_name', message: "Field 'bad_name' was added to object type 'User'" },
    ],
    composition: { errors: [], hints: [{ message: 'a hint', code: 'SOME_HINT' }] },
    lint: [{ rule: 'field-names-camel-case', severity: 'error', coordinate: 'User.bad_name', message: 'Field "User.bad_name" is not camelCase', fix: 'Rename it to "badName"' }],
    federation: [{ rule: 'override-moved', criticality: 'DANGEROUS', coordinate: 'User.id', message: 'User.id gained @override(from: "legacy")' }],
    failures: [
      { kind: 'change', rule: 'FIELD_REMOVED', coordinate: 'User.email', message: "Field 'email' was removed from object type 'User'" },
      { kind: 'lint', rule: 'field-names-camel-case', coordinate: 'User.bad_name', message: 'Field "User.bad_name" is not camelCase' },
    ],
    notes: ['No usage data (offline check): breaking changes were judged without traffic, so none was made safe by usage.'],
  };
}
