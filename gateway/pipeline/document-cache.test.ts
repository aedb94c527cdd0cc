import { buildSchema } from 'graphql';
import { DocumentCache } from './document-cache';

const schema = buildSchema('type Query { a: Int, b: Int }');

describe('the parse cache', () => {
  it('keeps only what it is told passed the checks: a broken or invalid operation is never cached', () => {
    const documents = new DocumentCache();
    expect(documents.parse('{ a').ok).toBe(false);
    const invalid = documents.parse('{ nope }');
    expect(invalid.ok && documents.validate(schema, invalid.document).length).toBe(1);
    expect(documents.stats()).toEqual({ entries: 0, bytes: 0 });
    const valid = documents.parse('{ a }');
    if (!valid.ok) throw valid.error;
    documents.keep('{ a }', valid.document);
    expect(documents.stats()).toEqual({ entries: 1, bytes: 10 });
    const again = documents.parse('{ a }');
    expect(again.ok && again.document).toBe(valid.document);
  });

  it('is bounded by bytes of text: big operations evict the oldest, one over the budget is not kept', () => {
    const documents = new DocumentCache({ maxBytes: 1000 });
    const big = (n: number) => `{ ${'a '.repeat(n)}}`;
    for (let i = 1; i <= 10; i++) {
      const text = `${big(100)}# ${i}`;
      const parsed = documents.parse(text);
      if (!parsed.ok) throw parsed.error;
      documents.keep(text, parsed.document);
      expect(documents.stats().bytes).toBeLessThanOrEqual(1000);
    }
    expect(documents.stats().entries).toBe(2); // 412 bytes each
    const huge = big(600);
    const parsed = documents.parse(huge);
    if (!parsed.ok) throw parsed.error;
    documents.keep(huge, parsed.document);
    expect(documents.stats().entries).toBe(2); // 412 bytes each
  });
});
