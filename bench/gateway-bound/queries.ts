/**
 * The gateway-bound benchmark's queries. Each request varies its variables (no two consecutive
 * requests are identical), so no cache or deduplication could help even if one were on.
 * `fetches` is the number of subgraph fetches in its query plan (checked by the correctness test).
 */
export interface GatewayBoundQuery {
  name: string;
  /** What it exercises, for the table. */
  about: string;
  fetches: number;
  /**
   * Connections for this query instead of the run's: the heavy query takes seconds per request on
   * the slower gateways, and 50 of them in flight would leave most requests unfinished when a
   * window ends (their CPU counted, the request not), inflating CPU per request.
   */
  connections?: number;
  query: string;
  variables(i: number): Record<string, unknown>;
}

/**
 * The cost limit the benchmark's Charter rows run with: the heavy query (~150 KB answer, lists of 60
 * under lists) is costlier than the default limit allows, as an operator would size it for such a graph.
 */
export const BENCH_LIMITS = { maxCost: 2_000_000 } as const;

export const TOP_PRODUCTS: GatewayBoundQuery = {
  name: 'top-products',
  about: '4 fetches, ~5 KB',
  fetches: 4,
  query: `query TopProducts($first: Int!, $offset: Int!) {
  topProducts(first: $first, offset: $offset) {
    upc name price
    inStock
    reviews { id body author { id name } }
  }
}`,
  variables: (i) => ({ first: 10, offset: (i * 10) % 900 }),
};

export const HEAVY: GatewayBoundQuery = {
  name: 'heavy',
  about: '16 fetches, ~150 KB',
  fetches: 16,
  connections: 8,
  query: `query Heavy($first: Int!, $offset: Int!, $users: Int!) {
  topProducts(first: $first, offset: $offset) {
    upc name price weight description inStock shippingEstimate
    reviews {
      id body rating
      author {
        id name email
        reviews { id body product { upc name price inStock reviews { id author { name } } } }
      }
    }
  }
  users(first: $users) { id username reviews { id product { upc name inStock } } }
  latestReviews(first: $users) { id rating author { name } product { name shippingEstimate reviews { id author { email } } } }
}`,
  variables: (i) => ({ first: 60, offset: (i * 7) % 800, users: 20 }),
};

export const SINGLE: GatewayBoundQuery = {
  name: 'single',
  about: '1 fetch (products only)',
  fetches: 1,
  query: `query Single($first: Int!, $offset: Int!) {
  topProducts(first: $first, offset: $offset) { upc name price weight description }
}`,
  variables: (i) => ({ first: 20, offset: (i * 20) % 900 }),
};

export const REQUIRES_PROVIDES: GatewayBoundQuery = {
  name: 'requires-provides',
  about: '@requires, @provides, a union',
  // search, then inventory (@requires price weight); latestReviews beside them: @provides spares users.
  fetches: 3,
  query: `query RequiresProvides($text: String!, $first: Int!) {
  search(text: $text, first: $first) {
    __typename
    ... on Product { upc name shippingEstimate inStock }
    ... on Category { id name productCount }
  }
  latestReviews(first: $first) { id author { id username } }
}`,
  variables: (i) => ({ text: `Product ${1 + (i % 9)}`, first: 10 }),
};

export const GATEWAY_BOUND_QUERIES = [TOP_PRODUCTS, HEAVY, SINGLE, REQUIRES_PROVIDES];
