/**
 * The registry's sections of charter.config.yaml: `registry:` (where it runs) and `governance:`
 * (its checks, see governance-options.ts), validated at start by the composition root.
 */
import { z } from 'zod';

export { registryGovernanceSchema } from './governance-options';

const port = z.number().int().min(0).max(65535);

export const registrySectionSchema = z
  .object({
    /** URL of a running registry; when absent, `charter dev` runs one at gateway port + 1. */
    url: z.string().url().optional(),
    port: port.optional(),
    /** Host names the registry answers for besides loopback names and IP literals (its DNS name in a cluster); `*` for any. Env CHARTER_REGISTRY_ALLOWED_HOSTS. */
    allowedHosts: z.array(z.string().min(1)).optional(),
    /** Browser origins (`https://console.example.com`) allowed to call the registry besides its own. */
    allowedOrigins: z.array(z.string().url()).optional(),
  })
  .strict()
  .default({});
