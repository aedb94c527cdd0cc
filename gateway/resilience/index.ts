export { createCircuitBreaker, type BreakerState, type CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
export { createSubgraphDataSourceFactory, type SubgraphDataSourceFactory, type SubgraphDataSourceFactoryOptions } from './data-source-factory';
export { ResilientDataSource } from './resilient-data-source';
export type { SubgraphEvent, SubgraphOutcome, SubgraphRequest, SubgraphSettings } from './types';
