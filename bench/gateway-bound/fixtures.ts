/**
 * The gateway-bound graph: four in-memory Federation 2 subgraphs (products, reviews, users,
 * inventory) over deterministic data, with no REST and no I/O, so a subgraph answers in a few
 * tens of microseconds and the gateway in front of them is the bottleneck. The same data is also
 * served by one non-federated schema (the monolith row) so a reader sees what federation costs.
 *
 * Used by the benchmark (bench/gateway-bound) and by the exact-answer test against Apollo Gateway.
 * The fixtures cover entities, `@requires`, `@provides`, an abstract type (union), errors with
 * partial data, and `null` propagation through a non-null field.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, GraphQLError, parse, type GraphQLSchema } from 'graphql';

export const PRODUCT_COUNT = 1000;
export const USER_COUNT = 100;
export const REVIEWS_PER_PRODUCT = 3;

export interface ProductRow {
  upc: string;
  name: string;
  price: number;
  weight: number;
  description: string;
}
export interface UserRow {
  id: string;
  name: string;
  username: string;
  email: string;
}
export interface ReviewRow {
  id: string;
  body: string;
  rating: number;
  authorId: string;
  productUpc: string;
}

const products: ProductRow[] = Array.from({ length: PRODUCT_COUNT }, (_, i) => ({
  upc: `p${i}`,
  name: `Product ${i}`,
  price: 5 + ((i * 37) % 120),
  weight: 1 + (i % 9),
  description: `A sturdy product number ${i}, made to last; ships in a box of ${1 + (i % 4)}.`,
}));
const users: UserRow[] = Array.from({ length: USER_COUNT }, (_, i) => ({ id: `u${i}`, name: `User ${i}`, username: `user${i}`, email: `user${i}@example.test` }));
const reviews: ReviewRow[] = products.flatMap((p, i) =>
  Array.from({ length: REVIEWS_PER_PRODUCT }, (_, k) => ({
    id: `r${i}-${k}`,
    body: `Review ${k} of ${p.name}: ${['great', 'fine', 'could be better'][(i + k) % 3]}.`,
    rating: 1 + ((i + k) % 5),
    authorId: `u${(i * REVIEWS_PER_PRODUCT + k) % USER_COUNT}`,
    productUpc: p.upc,
  })),
);
const productsByUpc = new Map(products.map((p) => [p.upc, p]));
const usersById = new Map(users.map((u) => [u.id, u]));
const reviewsById = new Map(reviews.map((r) => [r.id, r]));
const reviewsByProduct = new Map<string, ReviewRow[]>();
const reviewsByAuthor = new Map<string, ReviewRow[]>();
for (const r of reviews) {
  reviewsByProduct.set(r.productUpc, [...(reviewsByProduct.get(r.productUpc) ?? []), r]);
  reviewsByAuthor.set(r.authorId, [...(reviewsByAuthor.get(r.authorId) ?? []), r]);
}
/** An author's reviews, capped: a user has 90 reviews in this data, which would drown every answer. */
const AUTHOR_REVIEWS_SHOWN = 2;

const CATEGORIES = ['books', 'games', 'garden', 'kitchen', 'music'].map((name, i) => ({ __typename: 'Category', id: `c${i}`, name, productCount: PRODUCT_COUNT / 5 }));

/** Product "p995"'s stock lookup fails (an error with partial data); beyond every benchmark query's reach. */
export const BROKEN_STOCK_UPC = 'p995';
/** Product "p997"'s name is missing in the data: a non-null field resolving to null (null propagation). */
export const NAMELESS_UPC = 'p997';

const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides"])';

export interface SubgraphFixture {
  name: 'products' | 'reviews' | 'users' | 'inventory';
  typeDefs: string;
  schema(): GraphQLSchema;
}

function clampFirst(first: unknown, max: number): number {
  const n = typeof first === 'number' && Number.isFinite(first) ? Math.floor(first) : 5;
  return Math.max(0, Math.min(max, n));
}

function productName(p: ProductRow): string | null {
  return p.upc === NAMELESS_UPC ? null : p.name;
}

const productsTypeDefs = `${FED}
type Query {
  topProducts(first: Int = 5, offset: Int = 0): [Product!]!
  product(upc: String!): Product
  search(text: String!, first: Int = 10): [SearchResult!]!
}
type Product @key(fields: "upc") {
  upc: String!
  name: String!
  price: Int!
  weight: Int!
  description: String!
}
type Category {
  id: ID!
  name: String!
  productCount: Int!
}
union SearchResult = Product | Category
`;

const usersTypeDefs = `${FED}
type Query {
  me: User
  users(first: Int = 10): [User!]!
}
type User @key(fields: "id") {
  id: ID!
  name: String!
  username: String! @shareable
  email: String!
}
`;

const reviewsTypeDefs = `${FED}
type Query {
  latestReviews(first: Int = 10): [Review!]!
}
type Review @key(fields: "id") {
  id: ID!
  body: String!
  rating: Int!
  author: User! @provides(fields: "username")
  product: Product!
}
type User @key(fields: "id") {
  id: ID!
  username: String! @external
  reviews: [Review!]!
}
type Product @key(fields: "upc") {
  upc: String!
  reviews: [Review!]!
}
`;

const inventoryTypeDefs = `${FED}
type Product @key(fields: "upc") {
  upc: String!
  price: Int! @external
  weight: Int! @external
  inStock: Boolean
  shippingEstimate: Int! @requires(fields: "price weight")
}
`;

type Args = Record<string, unknown>;

export const SUBGRAPH_FIXTURES: SubgraphFixture[] = [
  {
    name: 'products',
    typeDefs: productsTypeDefs,
    schema: () =>
      buildSubgraphSchema({
        typeDefs: parse(productsTypeDefs),
        resolvers: {
          Query: {
            topProducts: (_: unknown, args: Args) => {
              const offset = clampFirst(args.offset ?? 0, PRODUCT_COUNT);
              return products.slice(offset, offset + clampFirst(args.first, PRODUCT_COUNT));
            },
            product: (_: unknown, args: Args) => productsByUpc.get(String(args.upc)) ?? null,
            search: (_: unknown, args: Args) => {
              const first = clampFirst(args.first, 100);
              const text = String(args.text);
              const hits: unknown[] = CATEGORIES.filter((c) => c.name.includes(text));
              for (const p of products) {
                if (hits.length >= first) break;
                if (p.name.includes(text)) hits.push({ __typename: 'Product', ...p });
              }
              return hits.slice(0, first);
            },
          },
          SearchResult: { __resolveType: (value: { __typename: string }) => value.__typename },
          Product: {
            __resolveReference: (ref: { upc: string }) => productsByUpc.get(ref.upc) ?? null,
            name: (p: ProductRow) => productName(p),
          },
        } as never,
      }),
  },
  {
    name: 'users',
    typeDefs: usersTypeDefs,
    schema: () =>
      buildSubgraphSchema({
        typeDefs: parse(usersTypeDefs),
        resolvers: {
          Query: {
            me: () => users[0],
            users: (_: unknown, args: Args) => users.slice(0, clampFirst(args.first, USER_COUNT)),
          },
          User: { __resolveReference: (ref: { id: string }) => usersById.get(ref.id) ?? null },
        } as never,
      }),
  },
  {
    name: 'reviews',
    typeDefs: reviewsTypeDefs,
    schema: () =>
      buildSubgraphSchema({
        typeDefs: parse(reviewsTypeDefs),
        resolvers: {
          Query: { latestReviews: (_: unknown, args: Args) => reviews.slice(0, clampFirst(args.first, reviews.length)) },
          Review: {
            __resolveReference: (ref: { id: string }) => reviewsById.get(ref.id) ?? null,
            // The provided username travels with the author, so the gateway need not ask users.
            author: (r: ReviewRow) => {
              const u = usersById.get(r.authorId)!;
              return { id: u.id, username: u.username };
            },
            product: (r: ReviewRow) => ({ upc: r.productUpc }),
          },
          User: {
            __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
            reviews: (u: { id: string }) => (reviewsByAuthor.get(u.id) ?? []).slice(0, AUTHOR_REVIEWS_SHOWN),
          },
          Product: {
            __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
            reviews: (p: { upc: string }) => reviewsByProduct.get(p.upc) ?? [],
          },
        } as never,
      }),
  },
  {
    name: 'inventory',
    typeDefs: inventoryTypeDefs,
    schema: () =>
      buildSubgraphSchema({
        typeDefs: parse(inventoryTypeDefs),
        resolvers: {
          Product: {
            __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ref,
            inStock: (p: { upc: string }) => {
              if (p.upc === BROKEN_STOCK_UPC) throw new GraphQLError(`stock of ${p.upc} is unknown`, { extensions: { code: 'STOCK_UNKNOWN' } });
              return Number(p.upc.slice(1)) % 3 !== 0;
            },
            shippingEstimate: (p: { price?: number; weight?: number }) => {
              // @requires: price and weight come from the products subgraph through the gateway.
              if (typeof p.price !== 'number' || typeof p.weight !== 'number') throw new GraphQLError('price and weight are required');
              return p.price > 100 ? 0 : Math.ceil(p.weight / 2);
            },
          },
        } as never,
      }),
  },
];

/** The same graph as one plain (non-federated) schema: the monolith row of the benchmark. */
export function monolithSchema(): { schema: GraphQLSchema; rootValue: Record<string, unknown> } {
  const schema = buildSchema(`
type Query {
  topProducts(first: Int = 5, offset: Int = 0): [Product!]!
  product(upc: String!): Product
  search(text: String!, first: Int = 10): [SearchResult!]!
  me: User
  users(first: Int = 10): [User!]!
  latestReviews(first: Int = 10): [Review!]!
}
type Product { upc: String! name: String! price: Int! weight: Int! description: String! inStock: Boolean shippingEstimate: Int! reviews: [Review!]! }
type Category { id: ID! name: String! productCount: Int! }
union SearchResult = Product | Category
type User { id: ID! name: String! username: String! email: String! reviews: [Review!]! }
type Review { id: ID! body: String! rating: Int! author: User! product: Product! }
`);
  const product = (p: ProductRow) => ({
    __typename: 'Product',
    ...p,
    name: productName(p),
    inStock: () => {
      if (p.upc === BROKEN_STOCK_UPC) throw new GraphQLError(`stock of ${p.upc} is unknown`);
      return Number(p.upc.slice(1)) % 3 !== 0;
    },
    shippingEstimate: () => (p.price > 100 ? 0 : Math.ceil(p.weight / 2)),
    reviews: () => (reviewsByProduct.get(p.upc) ?? []).map(review),
  });
  const user = (u: UserRow) => ({ ...u, reviews: () => (reviewsByAuthor.get(u.id) ?? []).slice(0, AUTHOR_REVIEWS_SHOWN).map(review) });
  const review = (r: ReviewRow): Record<string, unknown> => ({ ...r, author: () => user(usersById.get(r.authorId)!), product: () => product(productsByUpc.get(r.productUpc)!) });
  const root = {
    topProducts: (args: Args) => {
      const offset = clampFirst(args.offset ?? 0, PRODUCT_COUNT);
      return products.slice(offset, offset + clampFirst(args.first, PRODUCT_COUNT)).map(product);
    },
    product: (args: Args) => {
      const p = productsByUpc.get(String(args.upc));
      return p ? product(p) : null;
    },
    search: (args: Args) => {
      const first = clampFirst(args.first, 100);
      const text = String(args.text);
      const hits: unknown[] = CATEGORIES.filter((c) => c.name.includes(text));
      for (const p of products) {
        if (hits.length >= first) break;
        if (p.name.includes(text)) hits.push(product(p));
      }
      return hits.slice(0, first);
    },
    me: () => user(users[0]!),
    users: (args: Args) => users.slice(0, clampFirst(args.first, USER_COUNT)).map(user),
    latestReviews: (args: Args) => reviews.slice(0, clampFirst(args.first, reviews.length)).map(review),
  };
  return { schema, rootValue: root };
}
