import { Command } from 'commander';
import { SETTINGS, type SettingName } from '../../config';
import { serve } from '../../start';
import { configOf, withSettings } from '../options';

export const serveCommand = withSettings(
  new Command('serve').description('start the HTTP server: GraphQL and GraphiQL at /graphql, the legacy REST API at /registry/v1'),
  Object.keys(SETTINGS) as SettingName[],
).action(async (_options, command: Command) => serve(configOf(command)));
