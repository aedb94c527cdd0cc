/**
 * The `paginate:` option of a list field: how the backend pages its lists. The field then returns a
 * connection (`edges { cursor node }`, `pageInfo { hasNextPage endCursor }`) driven by `first` and
 * `after`, whatever the backend's style.
 */
import { z } from 'zod';

const param = z.string().regex(/^[A-Za-z0-9_.\-[\]]+$/, 'must be a query parameter name');
const jsonPath = z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a dotted property path like "meta.next"');

const common = {
  /** Items the backend returns per page (sent as the size parameter). */
  pageSize: z.number().int().positive().max(1000),
  /** At most this many backend calls for one field of one request; the connection stops there with hasNextPage. */
  maxPages: z.number().int().positive().max(100).default(10),
};

export const paginationSchema = z.discriminatedUnion('style', [
  /** `?offset=20&limit=10` */
  z.object({ style: z.literal('offset'), ...common, offsetParam: param.default('offset'), limitParam: param.default('limit') }).strict(),
  /** `?page=3&per_page=10`, pages counted from `firstPage` (default 1). */
  z.object({ style: z.literal('page'), ...common, pageParam: param.default('page'), sizeParam: param.default('per_page'), firstPage: z.number().int().nonnegative().default(1) }).strict(),
  /**
   * A token or a link to the next page in each answer: `nextCursor: meta.next_cursor` (sent back as
   * `cursorParam`), or `nextLink: links.next` (a URL on the same backend, followed as is).
   */
  z.object({ style: z.literal('cursor'), ...common, sizeParam: param.optional(), cursorParam: param.default('cursor'), nextCursor: jsonPath.optional(), nextLink: jsonPath.optional() }).strict(),
]).superRefine((config, ctx) => {
  if (config.style === 'cursor' && (config.nextCursor === undefined) === (config.nextLink === undefined)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a cursor style needs exactly one of "nextCursor" or "nextLink"' });
  }
});

export type PaginationConfig = z.output<typeof paginationSchema>;
