import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import type { Config } from '../../config';
import { deliverBundle, type BundleArgs } from './token';
import type { Action } from '.';

export interface RegistryConfigArgs extends Required<BundleArgs> {
  /** host:port the registry listens on. */
  listen: string;
  /** Folder of the registry's filesystem storage. */
  storage: string;
  /** Absolute path to write the config to, readable by its owner alone (it holds the webhook secret); printed when absent. */
  out?: string;
}

/** Writes `text` to `file` mode 0600, replacing it whole, so the secret is never readable by others, not even for a moment. */
async function writePrivately(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
  await rename(temporary, file);
}

/** A YAML double-quoted scalar: JSON's string syntax is YAML's. */
const quoted = (value: string) => JSON.stringify(value);

/** The registry's notification endpoint for this Berth, with the secret its deliveries must carry. */
function notifications(config: Config, secret: string): string[] {
  return [
    'notifications:',
    '  events:',
    '    includereferences: true',
    '  endpoints:',
    '    - name: berth',
    `      url: ${quoted(`${config.publicUrl}/registry/v1/notifications`)}`,
    '      headers:',
    `        Authorization: [${quoted(`Bearer ${secret}`)}]`,
    '      timeout: 5s',
    '      threshold: 3',
    '      backoff: 5s',
  ];
}

/**
 * A complete Distribution config.yml that makes this Berth the registry's
 * token service and webhook: `docker-registry serve` on it is all an
 * operator does. The certificate bundle the registry must trust is written
 * to `certOut`.
 */
export const registryConfig: Action<RegistryConfigArgs> = async ({ listen, storage, certOut, out }, { services, config }) => {
  await deliverBundle(await services.registryTokens.keys.bundle(), certOut);
  const { service, issuer } = config.token;
  const registryUrl = `http://${listen}`;
  const text = [
    `# Docker Distribution configuration for a registry that follows Berth at ${config.publicUrl}.`,
    '# Start it with: docker-registry serve <this file>',
    ...(config.registry?.url === registryUrl ? [] : [`# Berth reads manifests and deletes through REGISTRY_URL: start Berth with REGISTRY_URL=${registryUrl}`]),
    'version: 0.1',
    'log:',
    '  level: info',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${quoted(storage)}`,
    '  # Berth deletes tags and repositories in the registry.',
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${quoted(listen)}`,
    `  secret: ${quoted(randomBytes(24).toString('base64url'))}`,
    'auth:',
    '  token:',
    `    realm: ${quoted(`${config.publicUrl}/registry/v1/token`)}`,
    `    service: ${quoted(service)}`,
    `    issuer: ${quoted(issuer)}`,
    `    rootcertbundle: ${quoted(certOut)}`,
    ...notifications(config, await services.webhookSecrets.current()),
    '',
  ].join('\n');
  if (!out) return text;
  await writePrivately(out, text);
  return `wrote the registry config to ${out} (mode 0600: it holds the webhook secret); start the registry with: docker-registry serve ${out}`;
};
