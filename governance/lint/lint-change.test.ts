import { CharterError } from '../../core/errors';
import { DEFAULT_RULE_SEVERITIES, lintConfigSchema } from './config';
import { lintChange } from './lint-change';
import { LINT_RULES } from './rules';

describe('lintChange', () => {
  it('reports only violations the change introduces', () => {
    const findings = lintChange({
      oldSdl: '"Root" type Query { "old" bad_name: Int }',
      newSdl: '"Root" type Query { "old" bad_name: Int "new" worse_name: Int }',
      subgraph: { name: 'accounts', owner: 'team' },
    });
    expect(findings.map((f) => [f.rule, f.coordinate])).toEqual([['field-names-camel-case', 'Query.worse_name']]);
  });

  it('applies configured severities and switches rules off', () => {
    const findings = lintChange({
      newSdl: 'type Query { bad_name: Int }',
      subgraph: { name: 'accounts' },
      config: { rules: { 'field-names-camel-case': 'warn', 'root-field-description': 'off', 'type-description': 'off' } },
    });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ['field-names-camel-case', 'warn'],
      ['subgraph-owner', 'warn'],
    ]);
  });

  it('rejects an unknown rule name in the config, naming it', () => {
    const result = lintConfigSchema.safeParse({ rules: { 'field-name-camel-case': 'error' } });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error!.issues)).toContain('field-name-camel-case');
  });

  it('has a default severity for every rule and a rule for every default', () => {
    expect(LINT_RULES.map((r) => r.name).sort()).toEqual(Object.keys(DEFAULT_RULE_SEVERITIES).sort());
  });

  it('throws INVALID_SCHEMA with the line when the new SDL does not parse', () => {
    expect(() => lintChange({ newSdl: 'type Query {\n a: }', subgraph: { name: 'x' } })).toThrow(CharterError);
    expect(() => lintChange({ newSdl: 'type Query {\n a: }', subgraph: { name: 'x' } })).toThrow(/^new:2:5: Syntax Error/);
  });
});
