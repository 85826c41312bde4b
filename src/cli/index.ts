#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { exitOnError } from '../start';
import { accountCommand } from './commands/account';
import { migrateCommand } from './commands/migrate';
import { registryCommand } from './commands/registry';
import { serveCommand } from './commands/serve';
import { syncCommand } from './commands/sync';
import { tokenCommand } from './commands/token';
import { webhookCommand } from './commands/webhook';

const { version } = require('../../package.json') as { version: string };

const program = new Command('berth')
  .description('GraphQL gateway and legacy /registry/v1 REST API over the metadata of a Docker registry.\nEvery flag can also be set by the environment variable shown next to it; a flag wins.')
  .version(version)
  .showHelpAfterError()
  .addCommand(serveCommand)
  .addCommand(migrateCommand)
  .addCommand(accountCommand)
  .addCommand(syncCommand)
  .addCommand(registryCommand)
  .addCommand(tokenCommand)
  .addCommand(webhookCommand);

program.parseAsync().catch(exitOnError);
