import { authorizeOperation } from './authorize';
import { DocumentCache } from '../pipeline/document-cache';
import { compileOrThrow, doc, policies, schema } from './policy-fixtures';

describe('authorization memo', () => {
  const policy = compileOrThrow(policies.noEmail);
  const query = 'query Me($withEmail: Boolean!, $other: String) { me { name email @include(if: $withEmail) } user(id: $other) { name } }';

  it('returns the same result object for a repeated request, whatever variables besides @include/@skip', async () => {
    const document = doc(query);
    const first = await authorizeOperation({ schema, document, variables: { withEmail: true, other: 'a' }, principal: { roles: ['r1', 'r2'], scopes: [] }, policy });
    const again = await authorizeOperation({ schema, document, variables: { withEmail: true, other: 'b' }, principal: { roles: ['r2', 'r1'], scopes: [] }, policy });
    expect(again).toBe(first);
    expect(first.denied.map((d) => d.coordinate)).toEqual(['User.email']);
  });

  it('keys on the @include/@skip values, the principal, the policy and the operation name', () => {
    const document = doc(query);
    const who = { roles: ['viewer'], scopes: [] };
    const base = authorizeOperation({ schema, document, variables: { withEmail: true }, principal: who, policy });
    const excluded = authorizeOperation({ schema, document, variables: { withEmail: false }, principal: who, policy });
    expect(excluded).not.toBe(base);
    expect(excluded.denied).toEqual([]);
    expect(authorizeOperation({ schema, document, variables: { withEmail: true }, principal: { roles: ['viewer'], scopes: ['x'] }, policy })).not.toBe(base);
    expect(authorizeOperation({ schema, document, variables: { withEmail: true }, principal: who, policy: compileOrThrow(policies.noEmail) })).not.toBe(base);
    expect(authorizeOperation({ schema, document, operationName: 'Me', variables: { withEmail: true }, principal: who, policy })).not.toBe(base);
  });

  it('a repeated query text hits: the gateway’s document cache hands out one document per text', () => {
    const who = { roles: [], scopes: [] };
    const documents = new DocumentCache();
    const parse = (text: string) => {
      const parsed = documents.parse(text);
      if (!parsed.ok) throw parsed.error;
      documents.keep(text, parsed.document); // as the parse step does once the document validated
      return parsed.document;
    };
    const first = authorizeOperation({ schema, document: parse(query), variables: { withEmail: true }, principal: who, policy });
    const second = authorizeOperation({ schema, document: parse(query), variables: { withEmail: true }, principal: who, policy });
    expect(second).toBe(first);
    const otherDocument = authorizeOperation({ schema, document: doc(query), variables: { withEmail: true }, principal: who, policy });
    expect(otherDocument).not.toBe(first);
  });

  it('variables the policy does not read do not defeat the memo (speed itself is measured by npm run bench)', () => {
    const document = doc(query);
    const who = { roles: ['viewer'], scopes: [] };
    const first = authorizeOperation({ schema, document, variables: { withEmail: true }, principal: who, policy });
    for (let i = 0; i < 100; i++) expect(authorizeOperation({ schema, document, variables: { withEmail: true, other: String(i) }, principal: who, policy })).toBe(first);
  });
});
