import { and, asc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { anyOf, listsChild, lockRepositories } from '../db/sql';
import { manifests, namespaces, repositories } from '../db/schema';
import { RegistryError, type RegistryClient } from '../registry/client';
import { ImageFormatError, imageSize, parseConfig, parseManifest, type ParsedConfig } from '../registry/image';
import { repositoryFullName } from '../services/repositories';

export interface FetchOptions {
  /** Manifests one worker claims at a time. */
  batchSize?: number;
  /** How long a claim holds before another worker may take the manifest over (a crashed worker's claim lapses). */
  leaseMs?: number;
  /** Attempts before Berth stops retrying; a later push or a sync tries again. */
  maxAttempts?: number;
  /** Pause after the first failure; doubles with each attempt, up to ten minutes. */
  retryDelayMs?: number;
}

export interface FetchCounts {
  fetched: number;
  /** Fetches that failed; they are retried later, or given up (see `fetch_error`). */
  failed: number;
}

interface Claimed {
  id: number;
  repositoryId: number;
  repository: string;
  digest: string;
  attempts: number;
}

/**
 * Fills in manifests from the registry after their events are recorded:
 * body (layers, config, children of an index), then the image config
 * (architecture, os, history). The pending work lives in the manifests table
 * (`fetch_due_at`), claimed with FOR UPDATE SKIP LOCKED and a lease, so any
 * number of Berth processes share it and a crash loses nothing.
 */
export class ManifestFetcher {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly db: Db,
    private readonly registry: RegistryClient | null,
    options: FetchOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 10;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.retryDelayMs = options.retryDelayMs ?? 2_000;
  }

  /**
   * Claims and fetches one batch of due manifests (none when nothing is due).
   * `signal` (the worker stopping) aborts the registry call in flight; the
   * claims left then lapse with their lease and are retried.
   */
  async runOnce(signal?: AbortSignal): Promise<FetchCounts> {
    const counts = { fetched: 0, failed: 0 };
    if (!this.registry) return counts;
    for (const manifest of await this.claim()) {
      if (signal?.aborted) break;
      if (await this.fetch(manifest, signal)) counts.fetched++;
      else counts.failed++;
    }
    return counts;
  }

  /** Runs batches until nothing is due (bounded, for commands that must finish); a failed fetch waits for its retry time. */
  async drain(signal?: AbortSignal, maxBatches = 10_000): Promise<FetchCounts> {
    const total = { fetched: 0, failed: 0 };
    for (let i = 0; i < maxBatches && !signal?.aborted; i++) {
      const { fetched, failed } = await this.runOnce(signal);
      if (fetched + failed === 0) break;
      total.fetched += fetched;
      total.failed += failed;
    }
    return total;
  }

  private async claim(): Promise<Claimed[]> {
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: manifests.id })
        .from(manifests)
        .where(and(isNotNull(manifests.fetchDueAt), lte(manifests.fetchDueAt, sql`now()`)))
        .orderBy(asc(manifests.fetchDueAt))
        .limit(this.batchSize)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      const ids = due.map((d) => d.id);
      await tx
        .update(manifests)
        .set({ fetchDueAt: sql`now() + ${`${this.leaseMs} milliseconds`}::interval`, fetchAttempts: sql`${manifests.fetchAttempts} + 1` })
        .where(anyOf(manifests.id, ids));
      return tx
        .select({
          id: manifests.id,
          repositoryId: manifests.repositoryId,
          repository: repositoryFullName,
          digest: manifests.digest,
          attempts: manifests.fetchAttempts,
        })
        .from(manifests)
        .innerJoin(repositories, eq(manifests.repositoryId, repositories.id))
        .innerJoin(namespaces, eq(repositories.namespaceId, namespaces.id))
        .where(anyOf(manifests.id, ids));
    });
  }

  /** True when the manifest and its config were read and stored. */
  private async fetch(claimed: Claimed, signal?: AbortSignal): Promise<boolean> {
    const registry = this.registry!;
    try {
      const fetched = await registry.manifest(claimed.repository, claimed.digest, signal);
      const parsed = parseManifest(fetched.body, fetched.mediaType);
      // The manifest is worth keeping even when its config cannot be read yet; the config is retried.
      let image: ParsedConfig | null = null;
      let configError: unknown = null;
      if (parsed.config) {
        try {
          image = parseConfig(await registry.blob(claimed.repository, parsed.config.digest, signal));
        } catch (error) {
          configError = error;
        }
      }
      await this.db.transaction(async (tx) => {
        // Before its rows: the children it may create count the pulls waiting for them (lockRepositories).
        await lockRepositories(tx, [claimed.repository]);
        await tx
          .update(manifests)
          .set({
            mediaType: fetched.mediaType,
            schemaVersion: parsed.schemaVersion,
            config: parsed.config,
            layers: parsed.layers,
            children: parsed.children,
            size: imageSize(parsed),
            ...(image ? { architecture: image.architecture, os: image.os, history: image.history } : {}),
            fetchedAt: configError ? null : new Date(),
            fetchDueAt: null,
            fetchError: null,
          })
          .where(eq(manifests.id, claimed.id));
        if (parsed.children.length > 0) {
          // Children arrive untagged; make sure each is known and fetched, so the index can be sized from them.
          await tx
            .insert(manifests)
            .values(parsed.children.map((c) => ({ repositoryId: claimed.repositoryId, digest: c.digest, mediaType: c.mediaType, fetchDueAt: new Date() })))
            .onConflictDoNothing({ target: [manifests.repositoryId, manifests.digest] });
        }
        await resizeIndexes(tx, claimed.repositoryId, claimed.digest);
      });
      if (configError) throw configError;
      return true;
    } catch (error) {
      // Cut short as Berth stops: not the manifest's failure, and the database may be closing too.
      if (!(error instanceof RegistryError && error.cutShort === 'aborted')) await this.failed(claimed, error);
      return false;
    }
  }

  private async failed(claimed: Claimed, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    // A manifest the registry no longer has will not come back by retrying; its delete event or a sync tidies up.
    const gaveUp = (error instanceof RegistryError && error.isUnknown) || error instanceof ImageFormatError || claimed.attempts >= this.maxAttempts;
    const delay = Math.min(this.retryDelayMs * 2 ** (claimed.attempts - 1), 600_000);
    await this.db
      .update(manifests)
      .set({ fetchError: message, fetchDueAt: gaveUp ? null : sql`now() + ${`${delay} milliseconds`}::interval` })
      .where(eq(manifests.id, claimed.id));
  }
}

/**
 * An index's size is the sum of its children's sizes; recompute it for the
 * index just fetched and for every index of the repository that lists the
 * manifest just fetched as a child.
 */
async function resizeIndexes(tx: Db, repositoryId: number, digest: string): Promise<void> {
  const children = sql`parent.children`;
  await tx.execute(sql`
    update ${manifests} as parent set size = coalesce((
      select sum(c.size) from ${manifests} as c
      where c.repository_id = parent.repository_id and ${listsChild(children, sql`c.digest`)}
    ), 0)
    where parent.repository_id = ${repositoryId} and jsonb_array_length(parent.children) > 0
      and (parent.digest = ${digest} or ${listsChild(children, digest)})`);
}
