/**
 * The SHA-256 of an operation's text (Apollo's `queryHash`): the key of the gateway's plan cache
 * and part of Charter's response-cache key. Documents come from Charter's own caches, so the hash
 * is memoised per document and a repeated operation is hashed once, not on every request.
 */
import crypto from 'node:crypto';
import type { DocumentNode } from 'graphql';

const hashes = new WeakMap<DocumentNode, string>();

/** `query` must be the text `document` was parsed from (or printed to). */
export function queryHashOf(document: DocumentNode, query: string): string {
  let hash = hashes.get(document);
  if (hash === undefined) {
    hash = crypto.createHash('sha256').update(query).digest('hex');
    hashes.set(document, hash);
  }
  return hash;
}
