/**
 * The one error type for bad configuration and the one way zod issues are printed: every problem at
 * once, each naming the key that is wrong. Each part owns its zod section; `cli/config.ts` assembles them.
 */
import type { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration in ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Turn zod issues into lines that name the bad key, e.g. `gateway.port: Expected number`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}
