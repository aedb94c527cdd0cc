/** The `charter` command line: every part of Charter is started or driven from here. */
import { Command } from 'commander';
import { ConfigError } from './config';
import * as check from './commands/check-offline';
import * as consoleAdmin from './commands/console-admin';
import * as dev from './commands/dev';
import * as diff from './commands/diff';
import * as gateway from './commands/gateway';
import * as models from './commands/models';
import * as insight from './commands/insight';
import * as publish from './commands/publish';
import * as prompt from './commands/prompt';
import * as registry from './commands/registry';
import * as registryAdmin from './commands/registry-admin';
import * as rest from './commands/rest';
import * as secrets from './commands/secrets';
import * as subgraph from './commands/subgraph';

const program = new Command()
  .name('charter')
  .description('Charter: a governed GraphQL federation gateway')
  .option('-c, --config <file>', 'configuration file', process.env.CHARTER_CONFIG ?? 'charter.config.yaml')
  .enablePositionalOptions()
  .showHelpAfterError();

for (const command of [dev, gateway, registry, subgraph, publish, check, diff, registryAdmin, consoleAdmin, prompt, rest, secrets, models, insight]) command.register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`charter: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exitCode = 2;
});
