import path from 'node:path';

/** Every setting Berth reads, with its default. Only this module reads process.env. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL server URL; when unset Berth runs on embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  databasePoolSize: number;
  /** Load the demo data set into an empty database (default: on for embedded, off for a server). */
  demo: boolean;
  /** Password for the `admin` account created on first start; generated and printed once when unset. */
  adminPassword?: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  logLevel: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return {
    port: integer(env, 'PORT', 2375, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    dataDir: path.resolve(env.BERTH_DATA_DIR || '.data/pglite'),
    databasePoolSize: integer(env, 'BERTH_DB_POOL_SIZE', 10, 1, 1000),
    demo: flag(env, 'BERTH_DEMO', !databaseUrl),
    adminPassword: env.BERTH_ADMIN_PASSWORD || undefined,
    bodyLimit: integer(env, 'BERTH_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf(env: NodeJS.ProcessEnv, name: string, fallback: string, allowed: string[]): string {
  const raw = env[name] || fallback;
  if (!allowed.includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw;
}
