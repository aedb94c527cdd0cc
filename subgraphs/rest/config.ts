/** The `subgraphs:` section of charter.config.yaml: REST APIs wrapped as subgraphs. */
import { z } from 'zod';

export const restSubgraphSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    kind: z.literal('rest'),
    schema: z.string().min(1),
    mapping: z.string().min(1),
    /** Base URL of the wrapped REST API; `demo:NAME` means the built-in demo backend NAME. */
    baseUrl: z.string().min(1),
    owner: z.string().optional(),
    /** Hand-written resolvers to merge: a CommonJS module path (relative to the config) or `demo:NAME`. */
    resolvers: z.string().optional(),
    timeoutMs: z.number().int().positive().optional(),
    /** Cache hint (seconds) the subgraph sends with its answers, so the gateway may cache them; 0 = none. */
    cacheMaxAgeSec: z.number().int().min(0).default(0),
  })
  .strict();

export type RestSubgraphConfig = z.infer<typeof restSubgraphSchema>;
