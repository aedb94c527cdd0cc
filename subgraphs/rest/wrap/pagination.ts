/**
 * Turn a backend's paged lists (offset/limit, page number, cursor token or next link) into a
 * GraphQL connection for `first`/`after`. Cursors are opaque to clients (base64url JSON) and carry
 * where to resume on the backend: an absolute position, or a backend token plus how many items of
 * that page were already seen. At most `maxPages` backend calls are made per field.
 */
import { graphqlError } from '../../../core/errors';
import { readPath } from './json-path';
import type { PaginationConfig } from './pagination-config';

type Item = Record<string, unknown>;

/** Where the next item is: a position (offset/page styles) or a backend page token plus a skip. */
type Position = { at: number } | { token: string | null; skip: number };

export interface Connection {
  edges: Array<{ cursor: string; node: Item }>;
  nodes: Item[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface PageRequest {
  /** Query parameters to add to the list path, or a whole next link from the backend. */
  params: Record<string, string>;
  link?: string;
  /** The position came from the client's `after` (not from the backend's last answer): a bad link there is the client's. */
  fromClient: boolean;
}

export interface PageAnswer {
  items: Item[];
  /** The answer as a whole, where next cursors and links are read from. */
  body: unknown;
}

export async function fetchConnection(
  config: PaginationConfig,
  args: { first?: unknown; after?: unknown },
  fetchPage: (request: PageRequest) => Promise<PageAnswer>,
): Promise<Connection> {
  const first = readFirst(args.first, config);
  let position = args.after === undefined || args.after === null ? startOf(config) : decodeCursor(args.after, config);
  const edges: Connection['edges'] = [];
  let more = true;
  for (let page = 0; page < config.maxPages && more && edges.length <= first; page++) {
    const here = position;
    const { request, skip } = requestFor(config, here);
    const answer = await fetchPage({ ...request, fromClient: page === 0 && args.after !== undefined && args.after !== null });
    const fresh = answer.items.slice(skip);
    fresh.forEach((node, index) => edges.push({ node, cursor: encodeCursor(afterItem(config, here, skip + index)) }));
    if ('at' in here) {
      position = { at: here.at + fresh.length };
      // A short page is the last one.
      more = answer.items.length >= config.pageSize && fresh.length > 0;
    } else {
      const next = nextTokenOf(config, answer.body);
      position = { token: next, skip: 0 };
      more = next !== null;
    }
  }
  const returned = edges.slice(0, first);
  return {
    edges: returned,
    nodes: returned.map((edge) => edge.node),
    pageInfo: {
      // More than asked for was seen, or the page cap stopped us before the end.
      hasNextPage: edges.length > first || more,
      endCursor: returned.length > 0 ? returned[returned.length - 1]!.cursor : typeof args.after === 'string' ? args.after : null,
    },
  };
}

function readFirst(first: unknown, config: PaginationConfig): number {
  if (first === undefined || first === null) return config.pageSize;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 0) throw graphqlError('BAD_USER_INPUT', '"first" must be a non-negative integer');
  return first;
}

function startOf(config: PaginationConfig): Position {
  return config.style === 'cursor' ? { token: null, skip: 0 } : { at: 0 };
}

/** The request for the page holding `position`, and how many of its items come before it. */
function requestFor(config: PaginationConfig, position: Position): { request: Omit<PageRequest, 'fromClient'>; skip: number } {
  switch (config.style) {
    case 'offset': {
      const at = (position as { at: number }).at;
      return { request: { params: { [config.offsetParam]: String(at), [config.limitParam]: String(config.pageSize) } }, skip: 0 };
    }
    case 'page': {
      const at = (position as { at: number }).at;
      const page = Math.floor(at / config.pageSize);
      return { request: { params: { [config.pageParam]: String(page + config.firstPage), [config.sizeParam]: String(config.pageSize) } }, skip: at - page * config.pageSize };
    }
    case 'cursor': {
      const { token, skip } = position as { token: string | null; skip: number };
      const params: Record<string, string> = config.sizeParam ? { [config.sizeParam]: String(config.pageSize) } : {};
      if (token !== null && config.nextLink) return { request: { params: {}, link: token }, skip };
      if (token !== null) params[config.cursorParam] = token;
      return { request: { params }, skip };
    }
    default:
      return config satisfies never;
  }
}

/** The cursor of the item at `index` within the page fetched at `here`: where the next item is. */
function afterItem(config: PaginationConfig, here: Position, index: number): Position {
  if ('at' in here) {
    // For the page style `here.at` may sit inside its page: positions are absolute either way.
    const pageStart = config.style === 'page' ? Math.floor(here.at / config.pageSize) * config.pageSize : here.at;
    return { at: pageStart + index + 1 };
  }
  return { token: here.token, skip: index + 1 };
}

function nextTokenOf(config: PaginationConfig, body: unknown): string | null {
  if (config.style !== 'cursor') return null;
  const next = readPath(body, (config.nextCursor ?? config.nextLink)!);
  return typeof next === 'string' && next !== '' ? next : typeof next === 'number' ? String(next) : null;
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: unknown, config: PaginationConfig): Position {
  const invalid = () => graphqlError('BAD_USER_INPUT', '"after" is not a cursor this field gave out');
  if (typeof cursor !== 'string' || cursor.length > 4096) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const position = value as Partial<{ at: unknown; token: unknown; skip: unknown }> | null;
  if (config.style === 'cursor') {
    if (position && (typeof position.token === 'string' || position.token === null) && Number.isInteger(position.skip) && (position.skip as number) >= 0) return { token: position.token as string | null, skip: position.skip as number };
  } else if (position && Number.isInteger(position.at) && (position.at as number) >= 0) {
    return { at: position.at as number };
  }
  throw invalid();
}
