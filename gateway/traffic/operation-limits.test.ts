import { buildSchema, getOperationAST, parse, specifiedRules, validate, type GraphQLError } from 'graphql';
import { operationCost } from './operation-cost';
import { operationLimitRules, operationParseOptions, parseOperation, type OperationLimits } from './operation-limits';

const schema = buildSchema(`
  type Query { product(id: ID!): Product, products(first: Int): [Product!]!, me: User, a: Int, b: Int, c: Int, d: Int }
  type Product { id: ID!, name: String, related(first: Int): [Product!]!, reviews(first: Int): [Review!]! }
  type Review { id: ID!, body: String, author: User }
  type User { id: ID!, name: String, reviews(first: Int): [Review!]! }
`);

const limits: OperationLimits = { maxDepth: 10, maxAliases: 5, maxRootFields: 4, maxDirectives: 5, maxCost: 5000, maxTokens: 1000 };

function check(query: string, l: OperationLimits = limits): readonly GraphQLError[] {
  return validate(schema, parse(query, operationParseOptions(l)), [...specifiedRules, ...operationLimitRules(l)]);
}

function refusal(query: string, what: string): void {
  const errors = check(query);
  expect(errors.map((e) => [e.message, e.extensions.code])).toContainEqual([`The operation exceeds the ${what} limit of its plan`, 'OPERATION_LIMIT_EXCEEDED']);
  // Nothing in any message reveals a configured value.
  for (const e of errors) expect(e.message).not.toMatch(/\d/);
}

describe('operation limits', () => {
  it('lets a normal query through', () => {
    expect(check('query P($id: ID!) { product(id: $id) { id name reviews(first: 5) { body author { name } } } me { name } }')).toEqual([]);
  });

  it('refuses an alias bomb', () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: name`).join(' ');
    refusal(`{ product(id: "1") { ${aliases} } }`, 'alias');
  });

  it('refuses a 50-deep query', () => {
    let selection = 'id';
    for (let i = 0; i < 25; i++) selection = `reviews { author { ${selection} } }`;
    refusal(`{ me { ${selection} } }`, 'depth');
  });

  it('refuses too many root fields, also when hidden in fragments', () => {
    refusal('{ a b c d me { id } }', 'root field');
    refusal('{ ...R ... on Query { c d } } fragment R on Query { a b me { id } }', 'root field');
    expect(check('{ a b c d __typename }')).toEqual([]);
  });

  it('refuses a directive flood', () => {
    refusal(`{ product(id: "1") { name ${'@include(if: true) '.repeat(20)} } }`, 'directive');
  });

  it('counts aliases of every field, __typename included, also through fragments spread many times', () => {
    refusal(`{ ${Array.from({ length: 6 }, (_, i) => `t${i}: __typename`).join(' ')} }`, 'alias');
    refusal('{ ...F ...F ... on Query { ...F } } fragment F on Query { x: __typename y: __typename }', 'alias');
    expect(check('{ x: __typename y: a }')).toEqual([]);
  });

  it('leaves tokens to the parser, which refuses a token flood without naming the limit', () => {
    const flood = `{ ${'a '.repeat(2000)} }`;
    expect(() => parse(flood, operationParseOptions(limits))).toThrow(/more that 1000 tokens/); // graphql's wording discloses it
    const refused = parseOperation(flood, limits);
    expect(refused.status).toBe('refused');
    if (refused.status === 'refused') expect([refused.error.message, refused.error.extensions.code]).toEqual(['The operation exceeds the token limit of its plan', 'OPERATION_LIMIT_EXCEEDED']);
    const bad = parseOperation('{ a', limits);
    expect(bad.status === 'refused' && bad.error.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(parseOperation('{ a b }', limits).status).toBe('parsed');
  });

  it('enforces nothing it was not given', () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: a`).join(' ');
    expect(check(`{ ${aliases} }`, {})).toEqual([]);
  });
});

describe('operation cost, with variables and defaults applied', () => {
  const costOf = (query: string, variables: Record<string, unknown> | null = null, defaultListSize?: number) => {
    const document = parse(query);
    return operationCost(schema, document, getOperationAST(document)!, variables, { defaultListSize });
  };

  it('counts each field once per value it can produce: lists sized by first, nested multiplied', () => {
    expect(costOf('{ me { name } }')).toBe(2);
    expect(costOf('{ products(first: 3) { name } }')).toBe(3 * 2);
    expect(costOf('{ products(first: 100) { related(first: 100) { reviews(first: 100) { body } } } }')).toBe(100 * (1 + 100 * (1 + 100 * 2)));
  });

  it('reads first from a variable, and from the variable\'s default when the request gives none', () => {
    const q = 'query Q($n: Int = 7) { products(first: $n) { name } }';
    expect(costOf(q, { n: 1000 })).toBe(1000 * 2);
    expect(costOf(q, {})).toBe(7 * 2);
    expect(costOf(q, null)).toBe(7 * 2);
  });

  it('reads the argument\'s schema default, else assumes the configured size for an unbounded list', () => {
    const withDefault = buildSchema('type Query { items(first: Int = 40): [Item!]! } type Item { id: ID! tags: [String!]! }');
    const document = parse('{ items { id tags } }');
    expect(operationCost(withDefault, document, getOperationAST(document)!, null)).toBe(40 * (1 + 1 + 10));
    expect(operationCost(withDefault, document, getOperationAST(document)!, null, { defaultListSize: 3 })).toBe(40 * (1 + 1 + 3));
    expect(costOf('{ me { reviews { body } } }', null, 50)).toBe(1 + 50 * 2);
  });

  it('counts fragments each time they are spread, and stops early above the limit', () => {
    expect(costOf('{ ...F ...F } fragment F on Query { me { name } }')).toBe(4);
    const bomb = 'query Q($n: Int) { products(first: $n) { related(first: $n) { related(first: $n) { related(first: $n) { name } } } } }';
    expect(costOf(bomb, { n: 1_000_000 })).toBeGreaterThan(1e18);
    const document = parse(bomb);
    expect(operationCost(schema, document, getOperationAST(document)!, { n: 1_000_000 }, { stopAbove: 5000 })).toBe(5001);
  });

  it('sizes the lists right under a connection field from the connection\'s first', () => {
    const relay = buildSchema('type Query { items(first: Int): ItemConnection! } type ItemConnection { edges: [Edge!]! } type Edge { node: Item! } type Item { id: ID! }');
    const document = parse('{ items(first: 5) { edges { node { id } } } }');
    expect(operationCost(relay, document, getOperationAST(document)!, null)).toBe(1 + 5 * (1 + 2));
  });
});
