/**
 * A template's SDL is governed like any schema change: it composes with the demo subgraphs, and
 * removing a variable or changing the output type is a breaking change for the registry's checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { composeSubgraphs, runChecks } from '../../../governance/check';
import type { SubgraphSource } from '../../../governance/check';
import { templatesToSdl } from '../prompts/ai-sdl';
import { loadDemoTemplates } from '../prompts/load';
import type { PromptTemplate } from '../prompts/template-schema';

const demoDir = path.resolve(__dirname, '../../rest/demo');
const demoSubgraphs: SubgraphSource[] = ['products', 'accounts', 'reviews', 'inventory'].map((name) => ({
  name,
  url: `http://${name}`,
  sdl: fs.readFileSync(path.join(demoDir, `${name}.graphql`), 'utf8'),
}));
const templates = loadDemoTemplates();

function compose(aiTemplates: PromptTemplate[]) {
  return composeSubgraphs([...demoSubgraphs, { name: 'ai', url: 'http://ai', sdl: templatesToSdl(aiTemplates) }]);
}

test('the AI SDL with the demo templates composes with the demo subgraphs into typed fields', () => {
  const result = compose(templates);
  if (!result.ok) throw new Error(result.errors.map((error) => error.message).join('\n'));
  const api = result.apiSchema();
  expect(String(api.getQueryType()!.getFields().sentiment!.type)).toBe('Sentiment!');
  expect(api.getQueryType()!.getFields().sentiment!.args.map((arg) => `${arg.name}: ${String(arg.type)}`)).toEqual(['text: String!']);
  expect(String(api.getQueryType()!.getFields().summary!.type)).toBe('String!');
  expect(Object.keys((api.getType('Sentiment') as any).getFields())).toEqual(['label', 'score']);
  expect(api.getQueryType()!.getFields().products).toBeDefined();
});

async function check(next: PromptTemplate[]) {
  const live = compose(templates);
  if (!live.ok) throw new Error('live composition failed');
  const candidate = compose(next);
  return runChecks({
    subgraphName: 'ai',
    oldSubgraphSdl: templatesToSdl(templates),
    newSubgraphSdl: templatesToSdl(next),
    oldSupergraphSdl: live.supergraphSdl,
    composition: candidate,
    noUsageReason: 'test',
  });
}

test('removing a variable is a breaking change of the argument', async () => {
  const summary = templates.find((template) => template.name === 'summary')!;
  const { maxWords: _dropped, ...variables } = summary.variables;
  const report = await check(templates.map((template) => (template === summary ? { ...summary, template: 'Summarize: {{text}}', variables } : template)));
  expect(report.verdict).toBe('fail');
  expect(report.changes.filter((change) => change.criticality === 'BREAKING').map((change) => change.coordinate)).toEqual(['Query.summary(maxWords:)']);
});

test('changing the output type is a breaking change; adding a template is safe', async () => {
  const sentiment = templates.find((template) => template.name === 'sentiment')!;
  const textOutput = await check(templates.map((template) => (template === sentiment ? { ...sentiment, output: { kind: 'text' as const } } : template)));
  expect(textOutput.verdict).toBe('fail');
  expect(textOutput.changes.filter((change) => change.criticality === 'BREAKING').map((change) => change.coordinate)).toContain('Query.sentiment');

  const added = await check([...templates, { ...templates.find((template) => template.name === 'summary')!, name: 'headline' }]);
  expect(added.changes.filter((change) => change.criticality === 'BREAKING')).toEqual([]);
  expect(added.changes.map((change) => change.coordinate)).toContain('Query.headline');
});
