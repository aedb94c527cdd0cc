import type { SupergraphManager } from '@apollo/gateway';

/** Where the gateway's supergraph comes from, and which version it serves now. */
export interface SupergraphSource extends SupergraphManager {
  /** Identity of the supergraph now served (registry version or file hash); null before the first. */
  readonly currentVersion: string | null;
}

/** What @apollo/gateway hands a supergraph manager (not exported by name from the package). */
export type SupergraphHookOptions = Parameters<SupergraphManager['initialize']>[0];
