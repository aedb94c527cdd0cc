/**
 * The criticality table for directive definitions, case by case against the GraphQL spec's
 * validation rules: a change is BREAKING exactly when some operation that validated before no
 * longer does. Type-system-only directives cannot appear in operations, so their changes are SAFE.
 */
import { classifyChanges } from './classify-changes';

const Q = 'type Query { a: Int }';
const def = (directive: string): string => `${directive}\n${Q}`;

async function verdicts(before: string, after: string): Promise<Array<[string, string]>> {
  return (await classifyChanges(def(before), def(after))).map((c) => [c.type, c.criticality]);
}

describe('executable directives (usable in operations)', () => {
  test.each([
    ['removing the directive', 'directive @x on FIELD', '', [['DIRECTIVE_REMOVED', 'BREAKING']]],
    ['removing `repeatable` (operations repeating it fail "unique per location")', 'directive @x repeatable on FIELD', 'directive @x on FIELD', [['DIRECTIVE_REPEATABLE_REMOVED', 'BREAKING']]],
    ['adding `repeatable`', 'directive @x on FIELD', 'directive @x repeatable on FIELD', [['DIRECTIVE_REPEATABLE_ADDED', 'SAFE']]],
    ['removing an executable location', 'directive @x on FIELD | QUERY', 'directive @x on FIELD', [['DIRECTIVE_LOCATION_REMOVED', 'BREAKING']]],
    ['removing a type-system location of a directive that also has executable ones', 'directive @x on FIELD | OBJECT', 'directive @x on FIELD', [['DIRECTIVE_LOCATION_REMOVED', 'SAFE']]],
    ['adding a location', 'directive @x on FIELD', 'directive @x on FIELD | QUERY', [['DIRECTIVE_LOCATION_ADDED', 'SAFE']]],
    ['adding a required argument (non-null, no default)', 'directive @x on FIELD', 'directive @x(a: Int!) on FIELD', [['DIRECTIVE_ARGUMENT_ADDED', 'BREAKING']]],
    ['adding a non-null argument with a default (may be omitted)', 'directive @x on FIELD', 'directive @x(a: Int! = 1) on FIELD', [['DIRECTIVE_ARGUMENT_ADDED', 'SAFE']]],
    ['adding a nullable argument', 'directive @x on FIELD', 'directive @x(a: Int) on FIELD', [['DIRECTIVE_ARGUMENT_ADDED', 'SAFE']]],
    ['removing an argument', 'directive @x(a: Int) on FIELD', 'directive @x on FIELD', [['DIRECTIVE_ARGUMENT_REMOVED', 'BREAKING']]],
    ['making an argument non-null', 'directive @x(a: Int) on FIELD', 'directive @x(a: Int!) on FIELD', [['DIRECTIVE_ARGUMENT_TYPE_CHANGED', 'BREAKING']]],
    ['making an argument nullable', 'directive @x(a: Int!) on FIELD', 'directive @x(a: Int) on FIELD', [['DIRECTIVE_ARGUMENT_TYPE_CHANGED', 'SAFE']]],
    ['changing an argument type', 'directive @x(a: Int) on FIELD', 'directive @x(a: String) on FIELD', [['DIRECTIVE_ARGUMENT_TYPE_CHANGED', 'BREAKING']]],
    ['removing the default of a non-null argument', 'directive @x(a: Int! = 1) on FIELD', 'directive @x(a: Int!) on FIELD', [['DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED', 'BREAKING']]],
    ['changing a default (behaviour may change, validation does not)', 'directive @x(a: Int = 1) on FIELD', 'directive @x(a: Int = 2) on FIELD', [['DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED', 'DANGEROUS']]],
    ['changing the description', '"a" directive @x on FIELD', '"b" directive @x on FIELD', [['DIRECTIVE_DESCRIPTION_CHANGED', 'SAFE']]],
  ])('%s', async (_name, before, after, expected) => {
    expect(await verdicts(before, after)).toEqual(expected);
  });
});

describe('type-system-only directives (no operation can use them)', () => {
  test.each([
    ['removing the directive', 'directive @t on FIELD_DEFINITION', '', 'DIRECTIVE_REMOVED'],
    ['removing `repeatable`', 'directive @t repeatable on OBJECT', 'directive @t on OBJECT', 'DIRECTIVE_REPEATABLE_REMOVED'],
    ['removing a location', 'directive @t on OBJECT | FIELD_DEFINITION', 'directive @t on OBJECT', 'DIRECTIVE_LOCATION_REMOVED'],
    ['adding a required argument', 'directive @t on OBJECT', 'directive @t(a: Int!) on OBJECT', 'DIRECTIVE_ARGUMENT_ADDED'],
    ['removing an argument', 'directive @t(a: Int) on OBJECT', 'directive @t on OBJECT', 'DIRECTIVE_ARGUMENT_REMOVED'],
  ])('%s is SAFE, with the reason', async (_name, before, after, type) => {
    const [change] = await classifyChanges(def(before), def(after));
    expect(change).toMatchObject({ type, criticality: 'SAFE', reason: expect.stringContaining('only type-system locations') });
  });
});

test('a breaking directive change says why in spec terms', async () => {
  const [change] = await classifyChanges(def('directive @x repeatable on FIELD'), def('directive @x on FIELD'));
  expect(change).toMatchObject({ coordinate: '@x', reason: 'Operations that repeat @x at one location no longer validate.' });
});
