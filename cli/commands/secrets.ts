/**
 * `charter secrets rotate-subgraph --stage|--promote|--retire`: the rolling rotation of the secret
 * the gateway signs subgraph calls with, on the data directory's ring (core/principal-signature.ts).
 * Restart (or roll) every process after each step, subgraphs before gateways. With
 * `CHARTER_SUBGRAPH_SECRET` set, the ring lives in the environment: the command says how to edit it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomicSync } from '../../core/atomic-file';
import { loadSubgraphSecret, rotateSecretRing, SUBGRAPH_SECRET_FILE, type RotationStep } from '../../core/principal-signature';
import { loadConfig } from '../config';

const NEXT: Record<RotationStep, string> = {
  stage: 'restart every subgraph (they now accept both keys), then run --promote',
  promote: 'restart every gateway (they now sign with the new key), then run --retire',
  retire: 'restart every process: the old key is no longer accepted',
};

export function register(program: Command): void {
  program
    .command('secrets')
    .description('rotate the secret that signs gateway → subgraph calls')
    .command('rotate-subgraph')
    .description('one step of a rolling rotation: --stage, then --promote, then --retire')
    .option('--stage', 'add a new secret that subgraphs accept')
    .option('--promote', 'sign with the new secret')
    .option('--retire', 'drop the old secret')
    .action((opts: Partial<Record<RotationStep, boolean>>) => {
      const steps = (['stage', 'promote', 'retire'] as const).filter((s) => opts[s]);
      if (steps.length !== 1) throw new Error('give exactly one of --stage, --promote, --retire');
      const step = steps[0]!;
      if (process.env.CHARTER_SUBGRAPH_SECRET) {
        throw new Error('CHARTER_SUBGRAPH_SECRET is set, so the ring lives in your deployment: set it to "old,new" on subgraphs, then "new,old" on gateways, then "new" everywhere');
      }
      const { dataDir } = loadConfig(program.opts().config);
      const ring = rotateSecretRing(loadSubgraphSecret(dataDir, {}), step);
      writeFileAtomicSync(path.join(dataDir, SUBGRAPH_SECRET_FILE), ring, 0o600);
      fs.chmodSync(path.join(dataDir, SUBGRAPH_SECRET_FILE), 0o600);
      process.stdout.write(`Subgraph signing keys: ${step} done (${ring.split(',').length} key(s) in the ring). Next: ${NEXT[step]}.\n`);
    });
}
