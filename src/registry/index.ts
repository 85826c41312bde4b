import type { RegistrySettings } from '../config';
import { RegistryClient } from './client';

/** The registry client for Berth's configuration. */
export function registryClient(settings: RegistrySettings): RegistryClient {
  const credentials = settings.username && settings.password ? { username: settings.username, password: settings.password } : undefined;
  return new RegistryClient({ url: settings.url, credentials, timeoutMs: settings.timeoutMs });
}
