import { Option, type Command } from 'commander';
import { loadConfig, SETTINGS, type Config, type Setting, type SettingName } from '../config';

/** The settings every command that opens the database accepts. */
export const DATABASE_SETTINGS: SettingName[] = ['DATABASE_URL', 'BERTH_DATA_DIR', 'BERTH_DB_POOL_SIZE', 'BERTH_DB_PREPARE'];

/** The settings of Berth as the registry's token service. */
export const TOKEN_SETTINGS: SettingName[] = ['BERTH_URL', 'BERTH_TOKEN_SERVICE', 'BERTH_TOKEN_ISSUER', 'BERTH_TOKEN_TTL', 'BERTH_TOKEN_KEY_FILE', 'BERTH_TOKEN_CERT_FILE'];

/** Which variable each option stands for, by the option's attribute name. */
const variableOf = new WeakMap<Command, Map<string, SettingName>>();

/**
 * Adds a flag for each named setting, built from config.ts's table so flags
 * and environment variables cannot drift apart; help shows the variable.
 */
export function withSettings(command: Command, names: SettingName[]): Command {
  const variables = variableOf.get(command) ?? new Map<string, SettingName>();
  for (const name of names) {
    const setting: Setting = SETTINGS[name];
    const option = new Option(setting.flag, `${setting.description} [env ${name}]`);
    command.addOption(option);
    variables.set(option.attributeName(), name);
    if (setting.negatable) command.addOption(new Option(setting.flag.replace(/^--/, '--no-')).hideHelp());
  }
  variableOf.set(command, variables);
  return command;
}

/** The configuration for a command: its flags over the environment. */
export function configOf(command: Command): Config {
  const options = command.opts<Record<string, string | boolean | undefined>>();
  const overrides: Partial<Record<SettingName, string>> = {};
  for (const [attribute, name] of variableOf.get(command) ?? []) {
    const value = options[attribute];
    if (value !== undefined) overrides[name] = String(value);
  }
  return loadConfig(undefined, overrides);
}
