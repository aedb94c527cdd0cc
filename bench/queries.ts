/**
 * The benchmark's operations and how each request varies: a multi-subgraph query (products with
 * their reviews, the reviews' authors and stock: four subgraphs, three levels of entity fetches),
 * a heavy one (100-odd products, 300 reviews with authors), and, for the direct case, the
 * products subgraph's own part of each.
 */
export interface BenchQuery {
  name: string;
  query: string;
  /** Variables for the i-th request: varied, so no two consecutive requests are identical. */
  variables(i: number): Record<string, unknown>;
  /** The products-subgraph-only form, for calling that subgraph directly. */
  direct: { query: string; variables(i: number): Record<string, unknown> };
}

const CATEGORIES = [null, 'books', 'games', 'garden', 'kitchen', 'music'];

export const MULTI_QUERY: BenchQuery = {
  name: 'multi',
  query: `query Multi($first: Int!, $category: String) {
  products(first: $first, category: $category) {
    id name price
    inStock quantity
    reviews { id rating body author { id name username } }
  }
}`,
  // 16 sizes x 6 categories = 96 distinct requests, cycled.
  variables: (i) => ({ first: 5 + (i % 16), category: CATEGORIES[Math.floor(i / 16) % CATEGORIES.length] }),
  direct: {
    query: 'query Direct($first: Int!, $category: String) { products(first: $first, category: $category) { id name price } }',
    variables: (i) => ({ first: 5 + (i % 16), category: CATEGORIES[Math.floor(i / 16) % CATEGORIES.length] }),
  },
};

export const HEAVY_QUERY: BenchQuery = {
  name: 'heavy',
  query: `query Heavy($first: Int!) {
  products(first: $first) {
    id name price category description
    inStock quantity warehouse
    reviews { id rating body author { id name username email } }
  }
}`,
  // 91..100 products: 10 distinct requests, each with about 300 reviews and their authors.
  variables: (i) => ({ first: 91 + (i % 10) }),
  direct: {
    query: 'query DirectHeavy($first: Int!) { products(first: $first) { id name price category description } }',
    variables: (i) => ({ first: 91 + (i % 10) }),
  },
};

export const BENCH_QUERIES = [MULTI_QUERY, HEAVY_QUERY];
