// Tests that build an ApolloGateway directly must not phone home or probe cloud metadata servers
// (workers inherit this); the product sets the same in gateway/server.ts.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/gateway', '<rootDir>/subgraphs', '<rootDir>/governance', '<rootDir>/schema-registry', '<rootDir>/core', '<rootDir>/tenancy', '<rootDir>/cli', '<rootDir>/analytics'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testTimeout: 30000,
  // Tests start real servers; two cores are shared between test workers and those servers.
  maxWorkers: 2,
};
