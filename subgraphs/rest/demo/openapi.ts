/**
 * The OpenAPI documents the four demo backends serve at `/openapi.json`, as their teams would
 * publish them. `charter rest import` turns each into a subgraph; the `x-charter-*` extensions say
 * what a plain document cannot (the GraphQL names the hand-written demo uses, batch endpoints, and
 * that inventory rows are Products keyed by `productId`). Relations between backends (a review's
 * author and product) are in no document: they stay hand-written (see the README).
 */
import type { DemoBackendName } from './backends';

type Schema = Record<string, unknown>;

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const ok = (schema: Schema) => ({ '200': { description: 'OK', ...json(schema) } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const arrayOf = (name: string) => ({ type: 'array', items: ref(name) });
const idPath = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const limit = { name: 'limit', in: 'query', description: 'At most this many items.', 'x-charter-arg': 'first', schema: { type: 'integer', minimum: 0 } };
const notFound = { '404': { description: 'No such item' } };

function document(title: string, paths: Schema, schemas: Record<string, Schema>): Schema {
  return { openapi: '3.0.3', info: { title, version: '1.0.0' }, paths, components: { schemas } };
}

export const DEMO_OPENAPI: Record<DemoBackendName, Schema> = {
  users: document(
    'Users API',
    {
      '/users': { get: { operationId: 'users', parameters: [limit], responses: ok(arrayOf('User')) } },
      '/users/{id}': { get: { operationId: 'user', 'x-charter-batch': '/users?ids={ids}', parameters: [idPath], responses: { ...ok(ref('User')), ...notFound } } },
    },
    {
      User: {
        type: 'object',
        required: ['id', 'name', 'username'],
        properties: { id: { type: 'string' }, name: { type: 'string' }, username: { type: 'string' }, email: { type: 'string', format: 'email' } },
      },
    },
  ),
  catalog: document(
    'Catalog API',
    {
      '/products': {
        get: { operationId: 'products', parameters: [limit, { name: 'category', in: 'query', schema: { type: 'string' } }], responses: ok(arrayOf('Product')) },
      },
      '/products/{id}': { get: { operationId: 'product', 'x-charter-batch': '/products?ids={ids}', parameters: [idPath], responses: { ...ok(ref('Product')), ...notFound } } },
    },
    {
      Product: {
        type: 'object',
        required: ['id', 'name', 'price', 'category'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          price: { type: 'integer', description: 'Price in cents.' },
          category: { type: 'string' },
          description: { type: 'string' },
        },
      },
    },
  ),
  inventory: document(
    'Inventory API',
    {
      '/inventory': {
        get: {
          operationId: 'stockRows',
          'x-charter-batch': '/inventory?productId={ids}',
          parameters: [{ name: 'productId', in: 'query', description: 'Comma-separated product ids.', schema: { type: 'string' } }],
          responses: ok(arrayOf('InventoryRow')),
        },
      },
    },
    {
      InventoryRow: {
        type: 'object',
        'x-charter-type': 'Product',
        'x-charter-key-field': 'productId',
        required: ['productId', 'quantity', 'warehouse'],
        properties: { productId: { type: 'string' }, quantity: { type: 'integer' }, warehouse: { type: 'string' } },
      },
    },
  ),
  reviews: document(
    'Reviews API',
    {
      '/reviews': {
        get: {
          operationId: 'reviews',
          parameters: [
            { name: 'productId', in: 'query', schema: { type: 'string' } },
            { name: 'authorId', in: 'query', schema: { type: 'string' } },
          ],
          responses: ok(arrayOf('Review')),
        },
      },
      '/reviews/{id}': { get: { operationId: 'review', 'x-charter-batch': '/reviews?ids={ids}', parameters: [idPath], responses: { ...ok(ref('Review')), ...notFound } } },
    },
    {
      Review: {
        type: 'object',
        required: ['id', 'productId', 'authorId', 'rating', 'body'],
        properties: { id: { type: 'string' }, productId: { type: 'string' }, authorId: { type: 'string' }, rating: { type: 'integer', minimum: 1, maximum: 5 }, body: { type: 'string' } },
      },
    },
  ),
};
