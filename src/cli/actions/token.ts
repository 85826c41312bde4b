import { writeFile } from 'node:fs/promises';
import { KEY_REFRESH_MS } from '../../registry-token/signing-keys';
import type { Action } from '.';

export interface BundleArgs {
  /** Absolute path to write the registry's rootcertbundle to; printed when absent. */
  certOut?: string;
}

/** Writes the bundle where asked, or hands it back to be printed. */
export async function deliverBundle(bundle: string, certOut: string | undefined): Promise<string | null> {
  if (!certOut) return null;
  await writeFile(certOut, bundle, { mode: 0o644 });
  return certOut;
}

export const rotateTokenKey: Action<BundleArgs> = async ({ certOut }, { services, config }) => {
  const bundle = await services.registryTokens.keys.rotate();
  const written = await deliverBundle(bundle, certOut);
  const lifetime = config.token.ttlSeconds + KEY_REFRESH_MS / 1000;
  return [
    'made a new registry token signing key; it signs every token from now on (other processes sharing the database switch within 30 s)',
    `the registry must trust it: restart it on this bundle${written ? `, written to ${written}` : ' (below)'}; the previous certificate stays in it for ${lifetime} s, so tokens already issued keep working`,
    ...(written ? [] : [bundle.trimEnd()]),
  ].join('\n');
};
