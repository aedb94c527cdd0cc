import { buildSchema, parse, specifiedRules, validate, type GraphQLError } from 'graphql';
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

  it('refuses costly nested lists', () => {
    refusal('{ products(first: 100) { related(first: 100) { reviews(first: 100) { body } } } }', 'cost');
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
