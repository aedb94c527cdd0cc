import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import { DEMO_INVENTORY, DEMO_PRODUCTS, DEMO_REVIEWS, DEMO_USERS } from '../demo/data';
import { startDemoRestStack, type DemoRestStack } from '../demo/start';

let stack: DemoRestStack;
let gateway: ApolloServer;

beforeAll(async () => {
  stack = await startDemoRestStack();
  const composed = composeServices(stack.subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.typeDefs) })));
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  // The gateway's and the server's gateway-interface packages differ by a major version; the
  // runtime contract is the same.
  gateway = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl }) as any });
  await gateway.start();
});

afterAll(async () => {
  await gateway?.stop();
  await stack?.close();
});

beforeEach(() => {
  for (const backend of Object.values(stack.backends.backends)) backend.resetStats();
});

async function execute(query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: any[] }> {
  const response = await gateway.executeOperation({ query, variables });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: any; errors?: any[] };
}

function requestCounts(): Record<string, number> {
  return Object.fromEntries(Object.entries(stack.backends.backends).map(([name, backend]) => [name, backend.stats().requests]));
}

const PRODUCTS_QUERY = `{
  products(first: 20) {
    id name price quantity inStock
    reviews { rating body author { name email } }
  }
}`;

test('a four-subgraph query answers the demo data exactly', async () => {
  const result = await execute(PRODUCTS_QUERY);
  expect(result.errors).toBeUndefined();
  expect(result.data.products).toHaveLength(20);
  expect(result.data.products[0]).toEqual({
    id: '1',
    name: 'Compact Lamp',
    price: 8118,
    quantity: 14,
    inStock: true,
    reviews: [
      { rating: 3, body: 'Better than expected. 3/5 for the Compact Lamp.', author: { name: 'Hiro Kernighan', email: 'hiro.kernighan@example.com' } },
      { rating: 5, body: 'Not for me. 5/5 for the Compact Lamp.', author: { name: 'Elena Petrov', email: 'elena.petrov@example.com' } },
      { rating: 2, body: 'Solid value. 2/5 for the Compact Lamp.', author: { name: 'Brian Lovelace', email: 'brian.lovelace@example.com' } },
    ],
  });
  // Every product, checked against the data the backends serve.
  const expected = DEMO_PRODUCTS.slice(0, 20).map((product) => {
    const stock = DEMO_INVENTORY.find((row) => row.productId === product.id)!;
    return {
      id: product.id,
      name: product.name,
      price: product.price,
      quantity: stock.quantity,
      inStock: stock.quantity > 0,
      reviews: DEMO_REVIEWS.filter((review) => review.productId === product.id).map((review) => {
        const author = DEMO_USERS.find((user) => user.id === review.authorId)!;
        return { rating: review.rating, body: review.body, author: { name: author.name, email: author.email } };
      }),
    };
  });
  expect(result.data.products).toEqual(expected);
});

test('each backend is called once per entity type per level, not once per item', async () => {
  await execute(PRODUCTS_QUERY);
  expect(requestCounts()).toEqual({ catalog: 1, inventory: 1, reviews: 1, users: 1 });
  expect(stack.backends.backends.inventory.stats().byPath).toEqual({ '/inventory': 1 });
  expect(stack.backends.backends.users.stats().byPath).toEqual({ '/users': 1 });
});

test('the loader cache is per request: a second query calls the backends again', async () => {
  await execute(PRODUCTS_QUERY);
  await execute(PRODUCTS_QUERY);
  expect(requestCounts()).toEqual({ catalog: 2, inventory: 2, reviews: 2, users: 2 });
});

test('a computed field, a keyField entity, a missing entity and hasMany by another key work together', async () => {
  // Product 23 is the first one out of stock: inStock comes from the hand-written resolver.
  const result = await execute(`query($id: ID!) {
    product(id: $id) { name quantity warehouse inStock }
    missing: product(id: "999") { name }
    user(id: "7") { username reviews { id product { name } } }
  }`, { id: '23' });
  expect(result.errors).toBeUndefined();
  expect(result.data.product).toEqual({ name: 'Classic Puzzle', quantity: 0, warehouse: 'FRA-2', inStock: false });
  expect(result.data.missing).toBeNull();
  const authored = DEMO_REVIEWS.filter((review) => review.authorId === '7');
  expect(result.data.user).toEqual({
    username: 'grace.lovelace',
    reviews: authored.map((review) => ({ id: review.id, product: { name: DEMO_PRODUCTS[Number(review.productId) - 1]!.name } })),
  });
});
