import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { listsChild } from '../db/sql';
import type { RegistryEvent } from './envelope';

/** A delivery of one pull that counts (see `countedPull` in events.ts), with its repository's name split. */
export interface PullDelivery {
  event: RegistryEvent;
  namespace: string;
  name: string;
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
      if (!this.writing) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing = true;
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
 * One statement: inserts the events whose ids are new (ON CONFLICT DO
 * NOTHING, in id order so that two processes never wait on each other) and
 * counts just those, per manifest and per repository; a pull by digest of a
 * child of a multi-arch index counts for the manifest only, as the pull of
 * its index counted for the repository. Returns the ids it recorded.
 */
export async function recordPulls(db: Db, deliveries: PullDelivery[]): Promise<Set<string>> {
  const column = (value: (d: PullDelivery) => string | null) => sql.param(deliveries.map(value));
  const result = await db.execute<{ id: string }>(sql`
    with incoming as (
      select * from unnest(
        ${column((d) => d.event.id)}::text[], ${column((d) => d.event.target.repository)}::text[],
        ${column((d) => d.event.target.digest ?? null)}::text[], ${column((d) => d.event.target.tag ?? null)}::text[],
        ${column((d) => d.event.target.mediaType ?? null)}::text[], ${column((d) => d.event.request.method ?? null)}::text[],
        ${column((d) => d.event.timestamp.toISOString())}::text[], ${column((d) => JSON.stringify(d.event.raw))}::text[],
        ${column((d) => d.namespace)}::text[], ${column((d) => d.name)}::text[]
      ) with ordinality as e(id, repository, digest, tag, media_type, method, occurred_at, payload, namespace, name, position)
    ), first_deliveries as (
      select distinct on (id) * from incoming order by id, position
    ), recorded as (
      insert into registry_events (id, action, repository, digest, tag, media_type, method, occurred_at, payload)
      select id, 'pull', repository, digest, tag, media_type, method, occurred_at::timestamptz, payload::jsonb from first_deliveries order by id
      on conflict (id) do nothing
      returning id
    ), counted_pulls as (
      select p.digest, p.tag, r.id as repository_id
      from first_deliveries p
      join recorded using (id)
      join namespaces ns on ns.name = p.namespace
      join repositories r on r.namespace_id = ns.id and r.name = p.name
    ), manifest_counts as (
      update manifests m set pull_count = m.pull_count + c.pulls
      from (select repository_id, digest, count(*) as pulls from counted_pulls group by repository_id, digest) c
      where m.repository_id = c.repository_id and m.digest = c.digest
    ), repository_counts as (
      update repositories r set pull_count = r.pull_count + c.pulls
      from (
        select repository_id, count(*) as pulls from counted_pulls p
        where p.tag is not null or not exists (
          select 1 from manifests m
          where m.repository_id = p.repository_id and ${listsChild(sql`m.children`, sql`p.digest`)})
        group by repository_id
      ) c
      where r.id = c.repository_id
    )
    select id from recorded`);
  // postgres.js answers the rows, PGlite an object that holds them.
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: { id: string }[] }).rows;
  return new Set(rows.map((row) => row.id));
}
