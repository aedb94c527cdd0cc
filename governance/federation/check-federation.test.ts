import { parse } from 'graphql';
import { checkFederation } from './check-federation';
import { FED2 } from './test-support';

describe('checkFederation', () => {
  it('runs every rule and reports each finding once', () => {
    const oldSdl = `${FED2} type Query { p: Product } type Product @key(fields: "id") { id: ID! name: String @shareable price: Int }`;
    const newSdl = `${FED2} type Query { p: Product } type Product @key(fields: "id", resolvable: false) { id: ID! name: String price: Int @inaccessible }`;
    const findings = checkFederation({ subgraph: 'products', old: parse(oldSdl), new: parse(newSdl) });
    expect(findings.map((f) => [f.rule, f.coordinate])).toEqual([
      ['key-resolvable-false', 'Product'],
      ['shareable-removed', 'Product.name'],
      ['inaccessible-added', 'Product.price'],
    ]);
  });

  it('finds nothing when the SDL is unchanged', () => {
    const sdl = parse(`${FED2} type Query { p: Int }`);
    expect(checkFederation({ subgraph: 's', old: sdl, new: sdl })).toEqual([]);
  });
});
