import path from 'node:path';
import { passwordProblem } from './auth/passwords';

/** Every setting Berth reads, with its default. Only this module reads process.env. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL server URL; when unset Berth runs on embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  databasePoolSize: number;
  /** Prepare each statement once per PostgreSQL connection; off for poolers that cannot keep them (PgBouncer in transaction mode). */
  databasePrepare: boolean;
  /** Longest one SQL statement may run on PostgreSQL, in ms; 0 = no limit. */
  statementTimeoutMs: number;
  /** Load the demo data set into an empty database (default: on for embedded, off for a server). */
  demo: boolean;
  /** Password for the `admin` account created on first start; generated and printed once when unset. */
  adminPassword?: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  logLevel: string;
  /** Answer each HTTP request's SQL statement count in an `x-sql-statements` header (benchmarks, diagnosis); off by default. */
  sqlStats: boolean;
  /** Origins allowed to call Berth from a browser on another site; none (CORS off) by default. */
  corsOrigins: string[];
  signIn: SignInLimit;
  /** How large a GraphQL operation may be, measured before it runs. */
  queryLimits: QueryLimits;
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For), so
   * the sign-in limit counts per real client: false (default), true (any), or
   * their addresses/CIDRs.
   */
  trustProxy: boolean | string;
  /** The Docker registry Berth follows; when unset Berth never calls a registry. */
  registry?: RegistrySettings;
  /** The secret webhook deliveries must carry (`Authorization: Bearer <secret>`); when unset, Berth generates one and keeps it in the database. */
  webhookSecret?: string;
  /** False only when the operator turned webhook authentication off, which Berth allows on a loopback address alone. */
  webhookAuth: boolean;
  /** Seconds between periodic syncs with the registry; 0 turns them off. */
  syncIntervalSeconds: number;
  /** The URL clients and the registry reach this Berth at: the token realm and the webhook are under it. */
  publicUrl: string;
  token: TokenSettings;
}

/** Berth as the registry's token service (Distribution's `auth.token`). */
export interface TokenSettings {
  /** The registry's `auth.token.service`: the audience of every token, and the only `service` Berth grants for. */
  service: string;
  /** The registry's `auth.token.issuer`: every token's `iss`. */
  issuer: string;
  /** How long a token is valid; a publicity change reaches the registry within this. */
  ttlSeconds: number;
  /** A signing key and its certificate (chain, leaf first) given as PEM files; otherwise Berth keeps its own in the database. */
  keyFile?: string;
  certificateFile?: string;
}

export interface RegistrySettings {
  url: string;
  /** For the registry's token (or Basic) auth. */
  username?: string;
  password?: string;
  /** Per attempt of a registry call. */
  timeoutMs: number;
  /** Per registry operation, whatever its retries: a delete fails within it. */
  deadlineMs: number;
}

/** How many failed sign-ins count within a sliding window before an address waits (auth/throttle.ts says for what). */
export interface SignInLimit {
  maxFailures: number;
  windowSeconds: number;
}

export const DEFAULT_SIGN_IN_LIMIT: SignInLimit = { maxFailures: 10, windowSeconds: 900 };

/** How large a GraphQL operation may be; every operation is measured against these before it runs (src/graphql/limits.ts). */
export interface QueryLimits {
  /** Nesting of fields, a fragment counting as a level. */
  depth: number;
  /** Fields asked under another name, which let one document repeat an expensive field. */
  aliases: number;
  /** Lexical tokens of the document: bounds the parser's work, and its recursion, before anything else. */
  tokens: number;
  /** Fields the answer may hold: each connection's rows (`first`, or its default) times what a row selects. */
  cost: number;
  /** Bytes of the JSON answer, checked once it is written (src/graphql/response-limit.ts). */
  responseBytes: number;
}

/**
 * Chosen from measurements (README, "Limits on GraphQL operations"): Berth's
 * own largest operations use a fraction of each, and the attacks that
 * stalled it are orders of magnitude above.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { depth: 15, aliases: 30, tokens: 2_000, cost: 50_000, responseBytes: 4 * 1024 * 1024 };

export const DEFAULT_TOKEN_SERVICE = 'berth-registry';
export const DEFAULT_TOKEN_ISSUER = 'berth';

export class ConfigError extends Error {}

export interface Setting {
  /** Commander flag syntax; a flag given on the command line overrides the variable. */
  flag: string;
  description: string;
  /** Also accept `--no-<name>` (boolean settings). */
  negatable?: boolean;
}

/**
 * The command-line flag of each environment variable, so that the two always
 * agree; the CLI builds its options from this table.
 */
export const SETTINGS = {
  PORT: { flag: '--port <number>', description: 'TCP port to listen on (default 2375)' },
  HOST: { flag: '--host <address>', description: 'address to listen on (default 127.0.0.1)' },
  DATABASE_URL: { flag: '--database-url <url>', description: 'postgres:// URL of a PostgreSQL server; embedded PGlite when unset' },
  BERTH_DATA_DIR: { flag: '--data-dir <path>', description: 'folder of the embedded PGlite database (default .data/pglite)' },
  BERTH_DB_POOL_SIZE: { flag: '--db-pool-size <number>', description: 'connections to the PostgreSQL server (default 10)' },
  BERTH_DB_PREPARE: {
    flag: '--db-prepare',
    negatable: true,
    description: 'prepare each SQL statement once per PostgreSQL connection; --no-db-prepare behind PgBouncer in transaction mode (default on)',
  },
  BERTH_DEMO: { flag: '--demo', negatable: true, description: 'load the demo data into an empty database; --no-demo to skip (default: on for PGlite, off for a server)' },
  BERTH_BODY_LIMIT: { flag: '--body-limit <bytes>', description: 'largest request body accepted (default 1048576)' },
  LOG_LEVEL: { flag: '--log-level <level>', description: 'fatal, error, warn, info, debug, trace or silent (default info)' },
  BERTH_SQL_STATS: { flag: '--sql-stats', negatable: true, description: 'add an x-sql-statements header counting the SQL statements of each request (default off)' },
  BERTH_CORS_ORIGINS: { flag: '--cors-origins <origins>', description: 'comma-separated origins allowed cross-site browser access (default none: CORS off)' },
  BERTH_SIGNIN_MAX_FAILURES: { flag: '--signin-max-failures <number>', description: 'failed sign-ins for an account from one address, or guesses at unknown names from one address, before 429 (default 10)' },
  REGISTRY_URL: { flag: '--registry-url <url>', description: 'base URL of the Docker registry to follow, e.g. http://127.0.0.1:5000; none by default' },
  REGISTRY_USERNAME: { flag: '--registry-username <name>', description: "account for the registry's token auth (password from REGISTRY_PASSWORD)" },
  REGISTRY_TIMEOUT_MS: { flag: '--registry-timeout-ms <ms>', description: 'timeout of each registry request attempt (default 10000)' },
  REGISTRY_DEADLINE_MS: { flag: '--registry-deadline-ms <ms>', description: 'deadline of each registry operation, whatever its retries (default 15000)' },
  BERTH_WEBHOOK_AUTH: {
    flag: '--webhook-auth <mode>',
    description: 'secret: deliveries must carry the webhook secret (default); none: take them from anyone, allowed only while HOST is a loopback address',
  },
  BERTH_STATEMENT_TIMEOUT_MS: {
    flag: '--statement-timeout-ms <number>',
    description: 'longest one SQL statement may run on PostgreSQL before it is cancelled and the request answers 503; 0 = no limit (default 5000)',
  },
  BERTH_GRAPHQL_MAX_DEPTH: { flag: '--graphql-max-depth <number>', description: `deepest GraphQL operation accepted (default ${DEFAULT_QUERY_LIMITS.depth})` },
  BERTH_GRAPHQL_MAX_ALIASES: { flag: '--graphql-max-aliases <number>', description: `most aliases in a GraphQL operation (default ${DEFAULT_QUERY_LIMITS.aliases})` },
  BERTH_GRAPHQL_MAX_TOKENS: { flag: '--graphql-max-tokens <number>', description: `longest GraphQL document accepted, in tokens (default ${DEFAULT_QUERY_LIMITS.tokens})` },
  BERTH_GRAPHQL_MAX_COST: { flag: '--graphql-max-cost <number>', description: `largest GraphQL operation cost accepted: page sizes times fields (default ${DEFAULT_QUERY_LIMITS.cost})` },
  BERTH_GRAPHQL_MAX_RESPONSE_BYTES: {
    flag: '--graphql-max-response-bytes <number>',
    description: `largest GraphQL answer sent, in bytes; a larger one is refused as QUERY_TOO_COMPLEX (default ${DEFAULT_QUERY_LIMITS.responseBytes})`,
  },
  BERTH_SYNC_INTERVAL: { flag: '--sync-interval <seconds>', description: 'sync with the registry every so many seconds; 0 = off (default 0)' },
  BERTH_TRUST_PROXY: { flag: '--trust-proxy <addresses>', description: 'believe X-Forwarded-For from these comma-separated proxy addresses/CIDRs, or "true" for any (default: none)' },
  BERTH_SIGNIN_WINDOW_SECONDS: { flag: '--signin-window-seconds <number>', description: 'how long a failed sign-in counts, in seconds (default 900)' },
  BERTH_URL: { flag: '--url <url>', description: 'the URL clients and the registry reach Berth at, for the token realm and the webhook (default http://HOST:PORT)' },
  BERTH_TOKEN_SERVICE: { flag: '--token-service <name>', description: `the registry's auth.token.service, which tokens are issued for (default ${DEFAULT_TOKEN_SERVICE})` },
  BERTH_TOKEN_ISSUER: { flag: '--token-issuer <name>', description: `the registry's auth.token.issuer, which signs the tokens (default ${DEFAULT_TOKEN_ISSUER})` },
  BERTH_TOKEN_TTL: { flag: '--token-ttl <seconds>', description: 'how long a registry token is valid, 60 to 86400 seconds (default 300)' },
  BERTH_TOKEN_KEY_FILE: { flag: '--token-key-file <path>', description: 'PEM private key (RSA or EC P-256/P-384) that signs registry tokens; with BERTH_TOKEN_CERT_FILE (default: a key Berth generates and keeps in the database)' },
  BERTH_TOKEN_CERT_FILE: { flag: '--token-cert-file <path>', description: 'PEM certificate (chain, leaf first) of BERTH_TOKEN_KEY_FILE, which the registry trusts' },
} satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/** Values given on the command line, by variable name; they win over the environment. */
export type ConfigOverrides = Partial<Record<SettingName, string>>;

export function loadConfig(environment: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const env: NodeJS.ProcessEnv = { ...environment };
  for (const [name, value] of Object.entries(overrides)) if (value !== undefined) env[name] = value;
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`${label('DATABASE_URL')} must be a postgres:// or postgresql:// URL`);
  }
  const port = integer(env, 'PORT', 2375, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  return {
    port,
    host,
    databaseUrl,
    dataDir: path.resolve(env.BERTH_DATA_DIR || '.data/pglite'),
    databasePoolSize: integer(env, 'BERTH_DB_POOL_SIZE', 10, 1, 1000),
    databasePrepare: flag(env, 'BERTH_DB_PREPARE', true),
    statementTimeoutMs: integer(env, 'BERTH_STATEMENT_TIMEOUT_MS', 5_000, 0, 3_600_000),
    demo: flag(env, 'BERTH_DEMO', !databaseUrl && !env.REGISTRY_URL),
    adminPassword: adminPassword(env),
    bodyLimit: integer(env, 'BERTH_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    sqlStats: flag(env, 'BERTH_SQL_STATS', false),
    corsOrigins: origins(env, 'BERTH_CORS_ORIGINS'),
    signIn: {
      maxFailures: integer(env, 'BERTH_SIGNIN_MAX_FAILURES', DEFAULT_SIGN_IN_LIMIT.maxFailures, 1, 1_000_000),
      windowSeconds: integer(env, 'BERTH_SIGNIN_WINDOW_SECONDS', DEFAULT_SIGN_IN_LIMIT.windowSeconds, 1, 7 * 24 * 3600),
    },
    queryLimits: {
      depth: integer(env, 'BERTH_GRAPHQL_MAX_DEPTH', DEFAULT_QUERY_LIMITS.depth, 1, 1_000),
      aliases: integer(env, 'BERTH_GRAPHQL_MAX_ALIASES', DEFAULT_QUERY_LIMITS.aliases, 0, 10_000),
      // Nested list values overflow graphql-js's recursive parser from about 4,000 tokens; 3,000 keeps a margin.
      tokens: integer(env, 'BERTH_GRAPHQL_MAX_TOKENS', DEFAULT_QUERY_LIMITS.tokens, 100, 3_000),
      cost: integer(env, 'BERTH_GRAPHQL_MAX_COST', DEFAULT_QUERY_LIMITS.cost, 1, 100_000_000),
      responseBytes: integer(env, 'BERTH_GRAPHQL_MAX_RESPONSE_BYTES', DEFAULT_QUERY_LIMITS.responseBytes, 1024, 1024 * 1024 * 1024),
    },
    trustProxy: trustedProxies(env, 'BERTH_TRUST_PROXY'),
    registry: registry(env),
    webhookSecret: env.BERTH_WEBHOOK_SECRET || undefined,
    webhookAuth: webhookAuth(env, host),
    syncIntervalSeconds: integer(env, 'BERTH_SYNC_INTERVAL', 0, 0, 7 * 24 * 3600),
    publicUrl: publicUrl(env, host, port),
    token: token(env),
  };
}

/** `http://host:port`, an IPv6 address in brackets. */
export const httpUrl = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/** Where Berth is reached; a wildcard listen address is no address to reach, so it stands for this machine. */
function publicUrl(env: NodeJS.ProcessEnv, host: string, port: number): string {
  const raw = env.BERTH_URL;
  if (!raw) {
    const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return httpUrl(reachable, port);
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.search || parsed.hash) {
    throw new ConfigError(`${label('BERTH_URL')} must be an http:// or https:// URL like https://berth.example.com, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

/** Names the registry's config compares byte for byte: printable, no spaces or quotes, which YAML and the challenge header would mangle. */
const TOKEN_NAME = /^[A-Za-z0-9._:\/-]{1,200}$/;

function token(env: NodeJS.ProcessEnv): TokenSettings {
  const name = (variable: string, fallback: string) => {
    const value = env[variable] || fallback;
    if (!TOKEN_NAME.test(value)) throw new ConfigError(`${label(variable)} must be 1 to 200 letters, digits or "._:/-", got "${value}"`);
    return value;
  };
  const keyFile = env.BERTH_TOKEN_KEY_FILE || undefined;
  const certificateFile = env.BERTH_TOKEN_CERT_FILE || undefined;
  if (!keyFile !== !certificateFile) throw new ConfigError('BERTH_TOKEN_KEY_FILE and BERTH_TOKEN_CERT_FILE must be set together');
  return {
    service: name('BERTH_TOKEN_SERVICE', DEFAULT_TOKEN_SERVICE),
    issuer: name('BERTH_TOKEN_ISSUER', DEFAULT_TOKEN_ISSUER),
    ttlSeconds: integer(env, 'BERTH_TOKEN_TTL', 300, 60, 24 * 3600),
    keyFile: keyFile && path.resolve(keyFile),
    certificateFile: certificateFile && path.resolve(certificateFile),
  };
}

/** Loopback addresses: nothing but this machine reaches a Berth listening on one. */
export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Webhook authentication is on unless turned off explicitly, and it may be off only where no other machine can deliver. */
function webhookAuth(env: NodeJS.ProcessEnv, host: string): boolean {
  const mode = oneOf(env, 'BERTH_WEBHOOK_AUTH', 'secret', ['secret', 'none']);
  if (mode === 'secret') return true;
  if (!isLoopback(host)) {
    throw new ConfigError(`${label('BERTH_WEBHOOK_AUTH')} none lets anyone who reaches Berth change its data through the webhook; it is allowed only while HOST is a loopback address, not ${host}`);
  }
  return false;
}

/** Checked here, so a too-short one stops Berth before it creates the account. */
function adminPassword(env: NodeJS.ProcessEnv): string | undefined {
  const password = env.BERTH_ADMIN_PASSWORD || undefined;
  const problem = password === undefined ? undefined : passwordProblem(password);
  if (problem) throw new ConfigError(`BERTH_ADMIN_PASSWORD ${problem}`);
  return password;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Decimal digits only: Number() would also take "0x10", "1e3" and " 80 ".
  const value = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${label(name)} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${label(name)} must be true or false, got "${raw}"`);
}

function oneOf(env: NodeJS.ProcessEnv, name: string, fallback: string, allowed: string[]): string {
  const raw = env[name] || fallback;
  if (!allowed.includes(raw)) throw new ConfigError(`${label(name)} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw;
}

/** A comma-separated list of origins such as `https://ui.example.com`; each must be scheme://host[:port]. */
function origins(env: NodeJS.ProcessEnv, name: string): string[] {
  const list = (env[name] ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(`${label(name)} must list origins like https://ui.example.com (no path or trailing slash), got "${origin}"`);
    }
  }
  return list;
}

function registry(env: NodeJS.ProcessEnv): RegistrySettings | undefined {
  const url = env.REGISTRY_URL;
  if (!url) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) throw new ConfigError(`${label('REGISTRY_URL')} must be an http:// or https:// URL, got "${url}"`);
  if (!env.REGISTRY_USERNAME !== !env.REGISTRY_PASSWORD) throw new ConfigError('REGISTRY_USERNAME and REGISTRY_PASSWORD must be set together');
  return {
    url,
    username: env.REGISTRY_USERNAME || undefined,
    password: env.REGISTRY_PASSWORD || undefined,
    timeoutMs: integer(env, 'REGISTRY_TIMEOUT_MS', 10_000, 100, 600_000),
    deadlineMs: integer(env, 'REGISTRY_DEADLINE_MS', 15_000, 100, 3_600_000),
  };
}

function trustedProxies(env: NodeJS.ProcessEnv, name: string): boolean | string {
  const raw = env[name]?.trim() ?? '';
  if (['', '0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  const addresses = raw.split(',').map((a) => a.trim());
  if (addresses.some((a) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a))) {
    throw new ConfigError(`${label(name)} must be true, false, or comma-separated proxy addresses/CIDRs, got "${raw}"`);
  }
  return addresses.join(',');
}

/** A variable's name in messages, with its flag when it has one. */
function label(name: string): string {
  const setting = (SETTINGS as Record<string, Setting>)[name];
  return setting ? `${name} (${setting.flag.split(' ')[0]})` : name;
}

/** The token settings of an empty environment, for code that runs without a configuration (tests, benchmarks). */
export const DEFAULT_TOKEN_SETTINGS: TokenSettings = token({});
