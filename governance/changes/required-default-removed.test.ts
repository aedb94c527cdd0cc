import { classifyChanges } from './classify-changes';

const base = (argDefault: string, inputDefault: string) => `
  type Query { users(limit: Int!${argDefault}, filter: UserFilter): [String] }
  input UserFilter { active: Boolean!${inputDefault}, name: String }
`;

describe('removing the default of a required input', () => {
  it('is BREAKING for a required argument (the engine calls it DANGEROUS)', async () => {
    const changes = await classifyChanges(base(' = 10', ''), base('', ''));
    expect(changes).toEqual([
      expect.objectContaining({ criticality: 'BREAKING', type: 'FIELD_ARGUMENT_DEFAULT_CHANGED', coordinate: 'Query.users(limit:)', usageCoordinates: ['Query.users'] }),
    ]);
    expect(changes[0].reason).toMatch(/required and lost its default/);
  });

  it('is BREAKING for a required input field', async () => {
    const changes = await classifyChanges(base('', ' = true'), base('', ''));
    expect(changes).toEqual([
      expect.objectContaining({ criticality: 'BREAKING', type: 'INPUT_FIELD_DEFAULT_VALUE_CHANGED', coordinate: 'UserFilter.active', usageCoordinates: ['UserFilter.active'] }),
    ]);
  });

  it('stays DANGEROUS when the default only changes value', async () => {
    const changes = await classifyChanges(base(' = 10', ''), base(' = 20', ''));
    expect(changes.map((c) => [c.criticality, c.coordinate])).toEqual([['DANGEROUS', 'Query.users(limit:)']]);
  });

  it('stays DANGEROUS when the input is nullable', async () => {
    const changes = await classifyChanges(`type Query { users(limit: Int = 10): [String] }`, `type Query { users(limit: Int): [String] }`);
    expect(changes.map((c) => [c.criticality, c.coordinate])).toEqual([['DANGEROUS', 'Query.users(limit:)']]);
  });
});
