/**
 * Deterministic demo data for the four demo REST backends: the same ids, names and numbers on
 * every run (no randomness), so tests can assert exact answers.
 */

// Type aliases, not interfaces: only aliases are assignable to the backend's Record<string, unknown> items.
export type DemoUser = {
  id: string;
  name: string;
  username: string;
  email: string;
};

export type DemoProduct = {
  id: string;
  name: string;
  /** In cents. */
  price: number;
  category: string;
  description: string;
};

export type DemoInventoryRow = {
  productId: string;
  quantity: number;
  warehouse: string;
};

export type DemoReview = {
  id: string;
  productId: string;
  authorId: string;
  rating: number;
  body: string;
};

const FIRST_NAMES = ['Ada', 'Brian', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const LAST_NAMES = ['Lovelace', 'Kernighan', 'Martin', 'Petrov', 'Garcia'];
const CATEGORIES = ['books', 'games', 'garden', 'kitchen', 'music'];
const ADJECTIVES = ['Compact', 'Sturdy', 'Classic', 'Bright', 'Quiet', 'Rapid', 'Cosy', 'Smart', 'Tiny', 'Grand'];
const NOUNS = ['Lamp', 'Kettle', 'Puzzle', 'Notebook', 'Speaker', 'Shovel', 'Novel', 'Teapot', 'Board Game', 'Guitar'];
const WAREHOUSES = ['AMS-1', 'FRA-2', 'SEA-3'];
const REVIEW_OPENINGS = ['Works as described.', 'Better than expected.', 'Not for me.', 'Solid value.', 'Would buy again.', 'Arrived late, but fine.'];

/** 50 users, ids "1".."50"; every (first, last) name pair is distinct. */
export const DEMO_USERS: DemoUser[] = Array.from({ length: 50 }, (_, index) => {
  const first = FIRST_NAMES[index % FIRST_NAMES.length]!;
  const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length)]!;
  const username = `${first}.${last}`.toLowerCase();
  return { id: String(index + 1), name: `${first} ${last}`, username, email: `${username}@example.com` };
});

/** 100 products, ids "1".."100", prices in whole cents between 199 and 9_998. */
export const DEMO_PRODUCTS: DemoProduct[] = Array.from({ length: 100 }, (_, index) => {
  const n = index + 1;
  const name = `${ADJECTIVES[index % ADJECTIVES.length]} ${NOUNS[Math.floor(index / ADJECTIVES.length)]}`;
  const category = CATEGORIES[index % CATEGORIES.length]!;
  return { id: String(n), name, price: 199 + ((n * 7919) % 9800), category, description: `${name}, from our ${category} range.` };
});

/** One row per product; every 23rd product is out of stock (quantity 0). */
export const DEMO_INVENTORY: DemoInventoryRow[] = DEMO_PRODUCTS.map((product, index) => ({
  productId: product.id,
  quantity: ((index + 1) * 37) % 23,
  warehouse: WAREHOUSES[index % WAREHOUSES.length]!,
}));

/** 300 reviews, three per product, ids "1".."300", authors spread over all users. */
export const DEMO_REVIEWS: DemoReview[] = Array.from({ length: 300 }, (_, index) => {
  const n = index + 1;
  const product = DEMO_PRODUCTS[Math.floor(index / 3)]!;
  const rating = ((n * 7) % 5) + 1;
  return {
    id: String(n),
    productId: product.id,
    authorId: String(((n * 17) % 50) + 1),
    rating,
    body: `${REVIEW_OPENINGS[n % REVIEW_OPENINGS.length]} ${rating}/5 for the ${product.name}.`,
  };
});
