import { isInterfaceType, isObjectType } from 'graphql';
import { authorizeOperation, authorizeWithDecisions } from './authorize';
import type { Rule, PolicyPrincipal } from '../../tenancy/policy';
import { compileOrThrow, doc, policies, schema } from './policy-fixtures';

const rules: Record<string, Rule> = {
  'User.id': 'allow',
  'User.name': 'deny',
  'User.email': { role: 'admin' },
  'Product.id': { scope: 'catalog:read' },
  'Product.name': { and: [{ role: 'staff' }, { scope: 'catalog:read' }] },
  'Product.price': { or: [{ role: 'admin' }, { scope: 'pricing' }] },
  'Review.body': { not: { role: 'guest' } },
  'Review.rating': { not: { and: [{ role: 'guest' }, { not: { scope: 'reviews' } }] } },
  'Review.author': { or: [{ and: [{ role: 'staff' }, { not: { role: 'guest' } }] }, { not: 'allow' }] },
  'Query.*': 'allow',
};
const policy = compileOrThrow({ version: 'table', rules });

const principals: PolicyPrincipal[] = [
  { roles: [], scopes: [] },
  { roles: ['admin'], scopes: [] },
  { roles: ['staff'], scopes: ['catalog:read'] },
  { roles: ['guest'], scopes: ['reviews'] },
  { roles: ['guest', 'staff'], scopes: ['pricing'] },
];

/** The decisions written out by hand: [coordinate, ...one per principal above]. */
const expected: Array<[string, ...boolean[]]> = [
  ['User.id', true, true, true, true, true],
  ['User.name', false, false, false, false, false],
  ['User.email', false, true, false, false, false],
  ['Product.id', false, false, true, false, false],
  ['Product.name', false, false, true, false, false],
  ['Product.price', false, true, false, false, true],
  ['Review.body', true, true, true, false, false],
  ['Review.rating', true, true, true, true, false],
  ['Review.author', false, false, true, false, false],
  ['Query.me', true, true, true, true, true],
  ['Mutation.addReview', false, false, false, false, false],
  ['User.__typename', true, true, true, true, true],
];

describe('graphql-shield and the fast path agree', () => {
  it.each(expected)('%s', async (coordinate, ...decisions) => {
    const [typeName, fieldName] = coordinate.split('.');
    for (const [i, who] of principals.entries()) {
      expect([i, await policy.isAllowed(typeName, fieldName, who)]).toEqual([i, decisions[i]]);
      expect([i, policy.isAllowedSync(typeName, fieldName, who)]).toEqual([i, decisions[i]]);
      expect([i, policy.decisionsFor(who)(typeName, fieldName)]).toEqual([i, decisions[i]]);
    }
  });

  it('agree on every coordinate of the schema for every principal', async () => {
    for (const who of principals) {
      const viaShield = await policy.shieldDecisionsFor(who);
      for (const type of Object.values(schema.getTypeMap())) {
        if (!(isObjectType(type) || isInterfaceType(type)) || type.name.startsWith('__')) continue;
        for (const fieldName of Object.keys(type.getFields())) {
          expect([type.name, fieldName, viaShield(type.name, fieldName)]).toEqual([type.name, fieldName, policy.isAllowedSync(type.name, fieldName, who)]);
        }
      }
    }
  });

  it('both deny when evaluating a rule throws', async () => {
    const broken = { roles: null, scopes: null } as unknown as PolicyPrincipal;
    expect(await policy.isAllowed('User', 'email', broken)).toBe(false);
    expect(policy.isAllowedSync('User', 'email', broken)).toBe(false);
    expect(await policy.isAllowed('User', 'id', broken)).toBe(true);
  });

  it('authorize the same way through either evaluator', async () => {
    const query = `query { me { id name email reviews { body rating author { id } } } products { id name price } search(text: "a") { ... on Product { id name } ... on User { email } } }`;
    for (const compiled of [policy, compileOrThrow(policies.noEmail), compileOrThrow(policies.catalog)]) {
      for (const who of principals) {
        const options = { schema, document: doc(query), variables: {}, principal: who, policy: compiled };
        const fast = await authorizeOperation(options);
        // graphql-shield's own rules decide here (unmemoised), the compiled evaluator decides `fast`.
        const shield = authorizeWithDecisions(options, await compiled.shieldDecisionsFor(who));
        expect(shield).toEqual(fast);
      }
    }
  });
});
