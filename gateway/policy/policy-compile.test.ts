import { compilePolicy, isCompileFailure } from './compile';
import { parsePolicy, policySchema } from '../../tenancy/policy';
import { schema } from './policy-fixtures';

describe('parsePolicy', () => {
  it('fills in filter mode and a deny fallback', () => {
    expect(parsePolicy({ rules: { 'User.email': 'deny' } })).toEqual({
      status: 'valid',
      policy: { mode: 'filter', fallback: 'deny', rules: { 'User.email': 'deny' } },
    });
  });

  it('names every bad key at once', () => {
    const parsed = parsePolicy({ mode: 'hide', rules: { 'User email': 'allow', 'User.name': { and: [] }, 'User.id': { role: 'a', scope: 'b' } } });
    expect(parsed.status).toBe('invalid');
    expect(parsed.status === 'invalid' && parsed.errors).toEqual([
      "mode: Invalid enum value. Expected 'filter' | 'reject', received 'hide'",
      'rules["User email"]: a rule key must be "Type.field" or "Type.*"',
      'rules["User.name"].and: Array must contain at least 1 element(s)',
      'rules["User.id"]: Unrecognized key(s) in object: \'scope\'',
    ]);
  });
});

describe('compilePolicy', () => {
  it('reports each coordinate the schema lacks, naming it', () => {
    const policy = policySchema.parse({
      rules: { 'User.email': 'allow', 'User.phone': 'deny', 'Order.*': 'allow', 'SearchResult.*': 'deny', 'ReviewInput.body': 'deny' },
    });
    const result = compilePolicy(policy, schema);
    expect(isCompileFailure(result) && result.errors).toEqual([
      { coordinate: 'User.phone', message: 'Policy names field "User.phone", which the schema does not define.' },
      { coordinate: 'Order.*', message: 'Policy names type "Order", which the schema does not define.' },
      { coordinate: 'SearchResult.*', message: 'Policy names "SearchResult", which is not an object or interface type, so it has no fields.' },
      { coordinate: 'ReviewInput.body', message: 'Policy names "ReviewInput", which is not an object or interface type, so it has no fields.' },
    ]);
  });

  it('compiles a policy naming only existing coordinates, with field rules before type rules before the fallback', () => {
    const result = compilePolicy(policySchema.parse({ fallback: 'allow', rules: { 'User.*': 'deny', 'User.name': 'allow', 'Node.id': { role: 'x' } } }), schema);
    if (isCompileFailure(result)) throw new Error('expected a compiled policy');
    expect(result.ruleFor('User', 'name')).toBe('allow');
    expect(result.ruleFor('User', 'email')).toBe('deny');
    expect(result.ruleFor('Product', 'name')).toBe('allow');
    expect(result.ruleFor('Node', 'id')).toEqual({ role: 'x' });
    expect(result.ruleFor('User', '__typename')).toBe('allow');
  });
});
