import type { Db } from '../db/client';
import { applyPendingPulls } from '../db/sql';
import type { RegistryEvent } from './envelope';
import { insertEvents } from './event-log';

/** A delivery of one pull that counts (see `isCountedPull` in events.ts). */
export interface PullDelivery {
  event: RegistryEvent;
}

interface Waiting {
  delivery: PullDelivery;
  resolve(recorded: boolean): void;
  reject(error: unknown): void;
}

/** Enough to keep one statement short while the registry floods Berth with pulls. */
const MAX_BATCH = 100;

/**
 * Records deliveries of one pull each, many to a statement: while one batch
 * is being written, the deliveries that arrive wait and go together in the
 * next, so a busy registry costs one commit per batch instead of one per
 * pull, and a quiet one waits for nothing. A caller's promise settles only
 * once its batch has committed, so an acknowledged delivery is stored. A
 * batch that fails is written again one delivery at a time, so that a
 * delivery the database refuses fails alone.
 */
export class PullBatches {
  private waiting: Waiting[] = [];
  private writing = false;

  constructor(private readonly db: Db) {}

  /** True when the event was new and counted; false for a re-delivery of an event recorded before. */
  record(delivery: PullDelivery): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ delivery, resolve, reject });
      if (this.writing) return;
      this.writing = true;
      // After the calls of this turn, so that an envelope's pulls start in one batch.
      queueMicrotask(() => void this.write());
    });
  }

  private async write(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        settle(batch, await recordPulls(this.db, batch.map((w) => w.delivery)));
      } catch {
        for (const one of batch) {
          try {
            settle([one], await recordPulls(this.db, [one.delivery]));
          } catch (error) {
            one.reject(error);
          }
        }
      }
    }
    this.writing = false;
  }
}

/** The first delivery of each newly recorded id counts; later ones in the batch are re-deliveries. */
function settle(batch: Waiting[], recorded: Set<string>): void {
  for (const waiting of batch) waiting.resolve(recorded.delete(waiting.delivery.event.id));
}

/**
 * One transaction: records the events whose ids are new as pending pulls,
 * then counts every pending pull of their repositories whose manifest exists
 * (apply_pending_pulls, the rule written once in SQL); a pull of a manifest
 * Berth does not know yet waits there for its push. Returns the ids it recorded.
 */
export function recordPulls(db: Db, deliveries: PullDelivery[]): Promise<Set<string>> {
  return db.transaction(async (tx) => {
    const recorded = await insertEvents(tx, deliveries.map((d) => d.event), { pullPending: true });
    if (recorded.size > 0) await applyPendingPulls(tx, [...new Set(deliveries.map((d) => d.event.target.repository))]);
    return recorded;
  });
}
