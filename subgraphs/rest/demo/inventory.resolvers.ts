/**
 * The one field of the demo subgraphs that a mapping cannot express: a computed boolean,
 * typed with the codegen output for inventory.graphql (`npm run codegen`).
 */
import type { Resolvers } from './generated/inventory-types';

export const inventoryResolvers = {
  Product: {
    // The parent is the inventory row (a RestItem), whose fields are unknown to the type system.
    inStock: (product) => typeof product.quantity === 'number' && product.quantity > 0,
  },
} satisfies Resolvers;
