/** A static supergraph file (as Apollo Router's `--supergraph`), for running against any federated graph. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { SupergraphHookOptions, SupergraphSource } from './supergraph-source';

export interface FileSupergraphSource extends SupergraphSource {
  /**
   * Reads the file again and serves it if it changed (`charter gateway` does on SIGHUP, in every
   * worker). Resolves to the version served; rejects, keeping the old one, if the file is
   * unreadable or the gateway refuses it.
   */
  reload(): Promise<string | null>;
}

const versionOf = (sdl: string) => `file:${crypto.createHash('sha256').update(sdl).digest('hex').slice(0, 12)}`;

export function fileSupergraphSource(file: string): FileSupergraphSource {
  let version: string | null = null;
  let hooks: SupergraphHookOptions | null = null;
  return {
    get currentVersion() {
      return version;
    },
    async initialize(options: SupergraphHookOptions) {
      hooks = options;
      const supergraphSdl = await fs.promises.readFile(file, 'utf8');
      version = versionOf(supergraphSdl);
      return { supergraphSdl };
    },
    async reload() {
      if (!hooks) return version;
      const supergraphSdl = await fs.promises.readFile(file, 'utf8');
      const next = versionOf(supergraphSdl);
      if (next === version) return version;
      // `update` throws when the gateway cannot load the new supergraph; the old one stays served.
      hooks.update(supergraphSdl);
      version = next;
      return version;
    },
  };
}
