/** The registry's governance settings: lint rules, the usage window, where composition runs. */
import { z } from 'zod';
import { lintConfigSchema } from '../governance/lint';

export const registryGovernanceSchema = z
  .object({
    /** Lint rules and severities (governance/lint/config.ts); default: every rule at its default. */
    lint: lintConfigSchema.optional(),
    usage: z
      .object({
        /** How far back usage counts. */
        windowDays: z.number().int().min(1).max(90).default(7),
        /** A breaking change is safe when its coordinates had at most this many requests. */
        threshold: z.number().int().min(0).default(0),
        /** Clients (by `apollographql-client-name`) whose traffic does not count. */
        excludedClients: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({}),
    composition: z
      .object({
        /** Graphs with more subgraphs than this compose in a worker thread. */
        workerMinSubgraphs: z.number().int().min(0).default(20),
        timeoutMs: z.number().int().positive().default(60_000),
      })
      .strict()
      .default({}),
  })
  .strict();

export type RegistryGovernance = z.output<typeof registryGovernanceSchema>;
export type RegistryGovernanceInput = z.input<typeof registryGovernanceSchema>;
