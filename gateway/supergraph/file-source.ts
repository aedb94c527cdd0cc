/** A static supergraph file (as Apollo Router's `--supergraph`), for running against any federated graph. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { SupergraphHookOptions, SupergraphSource } from './supergraph-source';

export function fileSupergraphSource(file: string): SupergraphSource {
  let version: string | null = null;
  return {
    get currentVersion() {
      return version;
    },
    async initialize(_options: SupergraphHookOptions) {
      const supergraphSdl = await fs.promises.readFile(file, 'utf8');
      version = `file:${crypto.createHash('sha256').update(supergraphSdl).digest('hex').slice(0, 12)}`;
      return { supergraphSdl };
    },
  };
}
