/** The field-usage report gateways send the registry: the wire format both sides validate. */
import { z } from 'zod';

/** A coordinate the registry counts: `Type`, `Type.field` or `Enum.VALUE`. */
const COORDINATE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

export const usageReportSchema = z
  .object({
    coordinate: z.string({ required_error: 'is required' }).regex(COORDINATE, 'must be a schema coordinate such as "Type.field"'),
    client: z.object({ name: z.string().min(1).max(200), version: z.string().max(100).optional() }).strict().optional(),
    tenant: z.string().max(200).optional(),
    count: z.number({ required_error: 'is required' }).int('must be an integer').min(1, 'must be at least 1').max(1_000_000_000),
    /** When the requests happened: ISO time or epoch milliseconds; default now. */
    at: z.union([z.string().datetime({ offset: true, message: 'must be an ISO 8601 time' }), z.number().int().nonnegative()]).optional(),
  })
  .strict();

export const usageBatchSchema = z
  .object({ reports: z.array(usageReportSchema, { required_error: 'is required' }).max(10_000, 'at most 10000 reports per batch') })
  .strict();

export type UsageReport = z.infer<typeof usageReportSchema>;
