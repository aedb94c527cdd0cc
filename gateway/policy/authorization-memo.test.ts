import { authorizeOperation, authorizeOperationSync } from './authorize';
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
    const base = authorizeOperationSync({ schema, document, variables: { withEmail: true }, principal: who, policy });
    const excluded = authorizeOperationSync({ schema, document, variables: { withEmail: false }, principal: who, policy });
    expect(excluded).not.toBe(base);
    expect(excluded.denied).toEqual([]);
    expect(authorizeOperationSync({ schema, document, variables: { withEmail: true }, principal: { roles: ['viewer'], scopes: ['x'] }, policy })).not.toBe(base);
    expect(authorizeOperationSync({ schema, document, variables: { withEmail: true }, principal: who, policy: compileOrThrow(policies.noEmail) })).not.toBe(base);
    expect(authorizeOperationSync({ schema, document, operationName: 'Me', variables: { withEmail: true }, principal: who, policy })).not.toBe(base);
  });

  it('can key on a query hash instead of the document object', () => {
    const who = { roles: [], scopes: [] };
    const first = authorizeOperationSync({ schema, document: doc(query), documentKey: 'hash-1', variables: { withEmail: true }, principal: who, policy });
    const second = authorizeOperationSync({ schema, document: doc(query), documentKey: 'hash-1', variables: { withEmail: true }, principal: who, policy });
    expect(second).toBe(first);
    const otherDocument = authorizeOperationSync({ schema, document: doc(query), variables: { withEmail: true }, principal: who, policy });
    expect(otherDocument).not.toBe(first);
  });

  it('serves a hit in well under a microsecond-scale budget', () => {
    const document = doc(query);
    const who = { roles: ['viewer'], scopes: [] };
    authorizeOperationSync({ schema, document, variables: { withEmail: true }, principal: who, policy });
    const started = process.hrtime.bigint();
    for (let i = 0; i < 10_000; i++) authorizeOperationSync({ schema, document, variables: { withEmail: true, other: String(i) }, principal: who, policy });
    const perCallNs = Number(process.hrtime.bigint() - started) / 10_000;
    // Generous bound for a shared, noisy machine: a miss costs tens of microseconds or more.
    expect(perCallNs).toBeLessThan(20_000);
  });
});
