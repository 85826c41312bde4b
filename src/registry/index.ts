import type { RegistrySettings } from '../config';
import type { RegistryTokens } from '../registry-token/issuer';
import { RegistryClient } from './client';

/**
 * The registry client for Berth's configuration. A registry whose token
 * service is this Berth (its challenge names Berth's service) gets tokens
 * Berth mints for itself; another realm gets REGISTRY_USERNAME/PASSWORD.
 */
export function registryClient(settings: RegistrySettings, tokens: RegistryTokens): RegistryClient {
  const credentials = settings.username && settings.password ? { username: settings.username, password: settings.password } : undefined;
  return new RegistryClient({
    url: settings.url,
    credentials,
    timeoutMs: settings.timeoutMs,
    deadlineMs: settings.deadlineMs,
    ownTokens: { service: tokens.settings.service, mint: (scope) => tokens.forBerth(scope) },
  });
}
