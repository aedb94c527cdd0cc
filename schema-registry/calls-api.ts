/**
 * insight: the registry's call-log routes. The registry is the single writer of the call store.
 *
 *   POST /api/calls   {calls: CallRecord[]}   scope `report-usage` (gateways) → 202 {accepted}
 *   GET  /api/calls   ?tenant&operation&status&from&to&limit   scope `read` → {calls}
 *   GET  /api/stats   ?tenant&from&to&bucket&groupBy             scope `read` → {rows}
 *
 * A token with `tenants` (registry-tokens.ts) reads only those tenants: it must name one of them
 * (or holds exactly one, which is then implied); anything else is 403 FORBIDDEN.
 */
import type http from 'node:http';
import { z } from 'zod';
import { aggregateCalls } from '../analytics/aggregate';
import { callBatchSchema } from '../analytics/call-record';
import type { CallStore } from '../analytics/call-store';
import { CharterError } from '../core/errors';
import { readJson, sendJson } from '../core/http';
import { requireScope, type Actor } from './auth';

const MAX_CALLS_BYTES = 8 * 1024 * 1024;
const DAY_MS = 86_400_000;

const time = z.union([z.coerce.number().int().nonnegative(), z.string().datetime({ offset: true }).transform((s) => Date.parse(s))]);
const callsQuerySchema = z
  .object({
    tenant: z.string().min(1).max(200).optional(),
    operation: z.string().min(1).max(200).optional(),
    status: z.union([z.literal('error'), z.coerce.number().int().min(100).max(599)]).optional(),
    from: time.optional(),
    to: time.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict();
const statsQuerySchema = z
  .object({
    tenant: z.string().min(1).max(200).optional(),
    from: time.optional(),
    to: time.optional(),
    bucket: z.enum(['minute', 'hour', 'day']).default('hour'),
    groupBy: z
      .string()
      .optional()
      .transform((s) => (s ? s.split(',').map((g) => g.trim()) : []))
      .pipe(z.array(z.enum(['operation', 'tenant', 'client']))),
  })
  .strict();

/** Answers a call-log route, or returns false when the path is not one. */
export async function serveCallRoutes(store: CallStore | undefined, actor: Actor, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname;
  if (path !== '/api/calls' && path !== '/api/stats') return false;
  if (path === '/api/calls' && req.method === 'POST') {
    requireScope(actor, 'report-usage');
    if (!store) throw new CharterError('NOT_FOUND', 'This registry keeps no call log');
    const parsed = callBatchSchema.safeParse(await readJson(req, MAX_CALLS_BYTES));
    if (!parsed.success) throw badRequest('Call batch refused', parsed.error);
    await store.insert(parsed.data.calls);
    sendJson(res, 202, { accepted: parsed.data.calls.length });
    return true;
  }
  if (req.method !== 'GET') return false;
  requireScope(actor, 'read');
  if (!store) throw new CharterError('NOT_FOUND', 'This registry keeps no call log');
  const query = Object.fromEntries(url.searchParams);
  if (path === '/api/calls') {
    const parsed = callsQuerySchema.safeParse(query);
    if (!parsed.success) throw badRequest('Bad call-log query', parsed.error);
    const q = parsed.data;
    const tenant = tenantFor(actor, q.tenant);
    const calls = await store.query({ tenant, operationName: q.operation, status: q.status, from: q.from, to: q.to, limit: q.limit });
    sendJson(res, 200, { calls });
    return true;
  }
  const parsed = statsQuerySchema.safeParse(query);
  if (!parsed.success) throw badRequest('Bad stats query', parsed.error);
  const q = parsed.data;
  const tenant = tenantFor(actor, q.tenant);
  const to = q.to ?? Date.now();
  const from = q.from ?? to - DAY_MS;
  const rows = await aggregateCalls(store.samples({ ...(tenant !== undefined ? { tenant } : {}), from, to }), { bucket: q.bucket, groupBy: q.groupBy });
  sendJson(res, 200, { from, to, bucket: q.bucket, rows });
  return true;
}

/** The tenant a read is limited to: the one asked for, checked against a tenant-scoped token. */
function tenantFor(actor: Actor, asked: string | undefined): string | undefined {
  const allowed = actor.kind === 'token' ? actor.tenants : undefined;
  if (!allowed) return asked;
  if (asked === undefined) {
    if (allowed.length === 1) return allowed[0];
    throw new CharterError('FORBIDDEN', `this token reads only tenants ${allowed.map((t) => `"${t}"`).join(', ')}: name one with ?tenant=`);
  }
  if (!allowed.includes(asked)) throw new CharterError('FORBIDDEN', `this token may not read tenant "${asked}"`);
  return asked;
}

function badRequest(what: string, error: z.ZodError): CharterError {
  const problems = error.issues.map((i) => ({ message: `${i.path.join('.') || 'body'}: ${i.message}` }));
  return new CharterError('BAD_REQUEST', `${what}: ${problems.map((p) => p.message).join('; ')}`, { problems });
}
