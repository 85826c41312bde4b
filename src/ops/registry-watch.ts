import type { FastifyBaseLogger } from 'fastify';
import type { RegistryCall, RegistryClient, RegistryOutcome } from '../registry/client';
import { registryOperations } from './metrics';

/** At most one warning about failing registry operations this often; the next one counts those left out. */
export const WARNING_INTERVAL_MS = 60_000;

/** What /readyz tells of the registry: information, never a reason to refuse reads. */
export interface RegistryState {
  /** unknown until the first operation ends; then how the latest ended. */
  state: 'unknown' | 'answering' | 'failing';
  outcome?: RegistryOutcome;
  /** When the latest operation ended. */
  at?: string;
}

/**
 * Follows how registry operations end: counts each by outcome
 * (berth_registry_operations_total), logs a failure as a warning with its
 * cause, at most one a minute (a registry that never answers would otherwise
 * fill the log), and keeps the latest outcome for /readyz.
 */
export class RegistryWatch {
  private latest: { outcome: RegistryOutcome; at: Date } | null = null;
  private lastWarningAt = -Infinity;
  private unlogged = 0;

  constructor(
    client: RegistryClient,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {
    client.observe((call) => this.record(call));
  }

  state(): RegistryState {
    if (!this.latest) return { state: 'unknown' };
    const failing = this.latest.outcome !== 'ok' && this.latest.outcome !== 'aborted';
    return { state: failing ? 'failing' : 'answering', outcome: this.latest.outcome, at: this.latest.at.toISOString() };
  }

  private record({ operation, outcome, error }: RegistryCall): void {
    registryOperations.inc({ operation, outcome });
    this.latest = { outcome, at: new Date(this.now()) };
    if (outcome === 'ok' || outcome === 'aborted') return;
    if (this.now() - this.lastWarningAt < WARNING_INTERVAL_MS) {
      this.unlogged++;
      return;
    }
    this.log.warn({ registry: { operation, outcome, cause: error?.message, failuresNotLogged: this.unlogged } }, 'registry operation failed');
    this.lastWarningAt = this.now();
    this.unlogged = 0;
  }
}
