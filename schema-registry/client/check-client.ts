/**
 * `charter check --registry URL --variant V`: asks a running registry to run its publish pipeline
 * on a subgraph change without storing it, and returns the registry's CheckReport. The registry
 * token comes from CHARTER_REGISTRY_TOKEN (any role may check).
 */
import type { CheckReport } from '../../governance/check';
import { RegistryClient } from './registry-client';

export interface RegistryCheckRequest {
  registryUrl: string;
  variant: string;
  subgraph: string;
  sdl: string;
  owner?: string;
  /** Default: env CHARTER_REGISTRY_TOKEN. */
  token?: string;
}

/**
 * The check report for the change; throws an Error (the CLI's "could not run", exit 2) when the
 * registry cannot be reached or refuses the request (bad token, bad input).
 */
export async function checkAgainstRegistry(request: RegistryCheckRequest): Promise<CheckReport> {
  const client = new RegistryClient(request.registryUrl.replace(/\/+$/, ''), request.token ?? (process.env.CHARTER_REGISTRY_TOKEN || undefined));
  let answer;
  try {
    answer = await client.check(request.variant, { name: request.subgraph, sdl: request.sdl, owner: request.owner });
  } catch (err) {
    throw new Error(`cannot reach the registry at ${request.registryUrl}: ${(err as Error).message}`);
  }
  const { status, body } = answer;
  if (status === 200 && body?.report) {
    const report = body.report as CheckReport;
    report.title ??= `Check of subgraph "${request.subgraph}" against variant "${request.variant}"`;
    return report;
  }
  throw new Error(`the registry refused the check (${status} ${body?.error?.code ?? ''}): ${body?.error?.message ?? 'no message'}`);
}
