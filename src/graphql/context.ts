import type { Viewer } from '../auth/viewer';
import type { Services } from '../services';
import { createLoaders, type Loaders } from './loaders';

export interface Context {
  viewer: Viewer | null;
  services: Services;
  loaders: Loaders;
  /** The operation's cost, measured before it ran (graphql/limits.ts); answered in the x-query-cost header. */
  queryCost?: number;
}

export function createContext(services: Services, viewer: Viewer | null): Context {
  return { viewer, services, loaders: createLoaders(services, viewer) };
}
