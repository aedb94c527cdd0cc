/**
 * Property: whatever document and variables a tenant sends, the gateway never answers 5xx, and no
 * message names a type the tenant's view hides (beyond quoting back what the client wrote, as for
 * a type that does not exist) or its fields, suggests names ("Did you mean"), or (for tenants
 * without the admin role) carries a subgraph's name or an upstream URL. Documents are built by
 * fast-check from the whole API schema's vocabulary — fields and types each tenant may and may
 * not see, arguments, fragments, aliases, directives, variables of any JSON shape — with broken
 * text mixed in; about 200 cases per demo tenant.
 */
import fc from 'fast-check';
import { getIntrospectionQuery } from 'graphql';
import { startDevStack, type DevStack } from '../../cli/commands/dev';
import { loadConfig } from '../../cli/config';
import { graphql, REPO_ROOT, tempDir } from '../support/charter-process';
import { freePortRange } from '../support/ports';

let stack: DevStack;
const TENANTS = ['acme', 'globex', 'initech'] as const;
const key = (tenant: string) => stack.demoKeys.find((k) => k.tenant === tenant)!.apiKey;
let fieldNames: string[] = [];
let typeNames: string[] = [];
const hiddenTypes = new Map<string, string[]>();

async function typesSeenBy(tenant: string): Promise<Array<{ name: string; fields: Array<{ name: string }> | null }>> {
  const { body } = await graphql(stack.gatewayUrl, getIntrospectionQuery(), { headers: { 'x-api-key': key(tenant) } });
  return body.data.__schema.types.filter((t: { name: string }) => !t.name.startsWith('__'));
}

beforeAll(async () => {
  const port = await freePortRange(20);
  const config = loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('property') });
  // Hundreds of requests a tenant: the demo plans' rate limits would answer most of them 429.
  for (const tenant of config.tenants) delete tenant.plan.rateLimit;
  stack = await startDevStack(config);
  const all = await typesSeenBy('acme');
  typeNames = all.map((t) => t.name);
  fieldNames = [...new Set(all.flatMap((t) => (t.fields ?? []).map((f) => f.name)))];
  for (const tenant of TENANTS) {
    const seen = new Set((await typesSeenBy(tenant)).map((t) => t.name));
    hiddenTypes.set(tenant, typeNames.filter((n) => !seen.has(n)));
  }
  expect(hiddenTypes.get('initech')!.length).toBeGreaterThan(0); // the premise: something is hidden
}, 60_000);
afterAll(() => stack?.close());

const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true }), fc.string(), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 5 }), tie('value'), { maxKeys: 4 })),
})).value;

function documents(): fc.Arbitrary<{ query: string; variables: Record<string, unknown> | undefined }> {
  const name = fc.oneof(fc.constantFrom(...fieldNames), fc.constantFrom('__typename', 'nope', '__schema', '__type'), fc.stringMatching(/^[_A-Za-z][_A-Za-z0-9]{0,8}$/));
  const literal = fc.oneof(fc.integer({ min: -5, max: 100_000 }).map(String), fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)), fc.constantFrom('true', 'null', '$v', '$n', '[1, 2]', '{ a: 1 }', 'ENUM_VALUE'));
  const args = fc.array(fc.tuple(fc.constantFrom('first', 'id', 'text', 'limit', 'model', 'x', 'category'), literal), { maxLength: 2 }).map((a) => (a.length ? `(${a.map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''));
  const selection: fc.Memo<string> = fc.memo((depth) =>
    fc.array(
      fc.oneof(
        { maxDepth: 3 },
        fc.tuple(fc.option(fc.constantFrom('a', 'b', 'x1'), { nil: undefined }), name, args, depth > 1 ? fc.option(selection(depth - 1), { nil: undefined }) : fc.constant(undefined), fc.constantFrom('', ' @include(if: $b)', ' @skip(if: true)', ' @nope')).map(([alias, field, a, sub, directive]) => `${alias ? `${alias}: ` : ''}${field}${a}${directive}${sub ? ` { ${sub} }` : ''}`),
        depth > 1 ? fc.tuple(fc.constantFrom(...typeNames), selection(depth - 1)).map(([type, sub]) => `... on ${type} { ${sub} }`) : fc.constant('__typename'),
      ),
      { minLength: 1, maxLength: 4 },
    ).map((parts) => parts.join(' ')),
  );
  const operation = fc.tuple(fc.constantFrom('', 'query Q($v: String, $n: Int, $b: Boolean = true) ', 'mutation M ', 'subscription S '), selection(4)).map(([head, body]) => `${head}{ ${body} }`);
  const broken = fc.tuple(operation, fc.nat(), fc.constantFrom('{', '}', '(', '$', '"', '...', '#')).map(([text, at, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1)));
  return fc.record({
    query: fc.oneof({ weight: 6, arbitrary: operation }, { weight: 1, arbitrary: broken }),
    variables: fc.option(fc.record({ v: json, n: json, b: json }, { requiredKeys: [] }), { nil: undefined }),
  });
}

describe.each(TENANTS)('random operations as %s', (tenant) => {
  test('never 5xx; no message names a hidden type, suggests a name, or shows subgraph internals', async () => {
    const hidden = hiddenTypes.get(tenant)!;
    const admin = tenant === 'acme';
    await fc.assert(
      fc.asyncProperty(documents(), async ({ query, variables }) => {
        const res = await graphql(stack.gatewayUrl, query, { variables, headers: { 'x-api-key': key(tenant) } });
        expect(res.status).toBeLessThan(500);
        for (const error of res.body?.errors ?? []) {
          const message: string = error.message;
          expect(message).not.toMatch(/Did you mean/);
          // A syntax error depends on the text alone (it may quote it back), never on the schema.
          // A hidden type's name may only come back as the client wrote it (as for a type that does
          // not exist), never one it did not write, nor with a field or argument of it.
          if (error.extensions?.code !== 'GRAPHQL_PARSE_FAILED') {
            for (const type of hidden) {
              expect(message).not.toMatch(new RegExp(`\\b${type}\\.`));
              if (!new RegExp(`\\b${type}\\b`).test(query)) expect(message).not.toMatch(new RegExp(`\\b${type}\\b`));
            }
          }
          if (!admin) {
            expect(error.extensions ?? {}).not.toHaveProperty('serviceName');
            expect(error.extensions ?? {}).not.toHaveProperty('subgraph');
            expect(message).not.toMatch(/https?:\/\//);
          }
        }
      }),
      { numRuns: 200, seed: Number(process.env.CHARTER_PROPERTY_SEED ?? Date.now() % 2 ** 31) },
    );
  }, 120_000);
});
