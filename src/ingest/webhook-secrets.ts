import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { hidingParameters } from '../db/query-errors';
import { webhookSecrets } from '../db/schema';
import { badInput } from '../errors';

/** How long a retired secret is still accepted when nobody finishes the rotation: a day to restart the registry on its new config. */
export const ROTATION_OVERLAP_SECONDS = 24 * 3600;
/** How long a process trusts the secrets it read; a rotation by another process sharing the database reaches it within this. */
const REFRESH_MS = 30_000;
/** An unknown secret makes the process read again, at most this often, so a fresh rotation is seen at once without a query per forgery. */
const MISS_REFRESH_MS = 1_000;

const digestOf = (value: string) => createHash('sha256').update(value).digest();

/**
 * The secrets the registry's webhook deliveries must carry. Either the
 * operator's BERTH_WEBHOOK_SECRET, or secrets Berth makes and keeps in the
 * database (the first on first start, later ones by `rotate`); a retired one
 * stays accepted until `finishRotation` or ROTATION_OVERLAP_SECONDS.
 */
export class WebhookSecrets {
  private accepted: { digests: Buffer[]; readAt: number } | null = null;

  constructor(
    private readonly db: Db,
    /** BERTH_WEBHOOK_SECRET, which then is the only secret. */
    private readonly configured?: string,
  ) {}

  /** The secret the registry must send now: what `berth registry config` prints. */
  async current(): Promise<string> {
    if (this.configured) return this.configured;
    return (await this.currentRow())?.secret ?? (await this.create());
  }

  /** True when `authorization` is `Bearer <an accepted secret>`; compared in constant time, so timing does not leak a secret. */
  async accepts(authorization: string | undefined): Promise<boolean> {
    if (!authorization) return false;
    const offered = digestOf(authorization);
    const matches = (digests: Buffer[]) => digests.some((digest) => timingSafeEqual(digest, offered));
    const age = this.accepted ? Date.now() - this.accepted.readAt : Infinity;
    if (age < REFRESH_MS && matches(this.accepted!.digests)) return true;
    if (age < MISS_REFRESH_MS) return false;
    return matches(await this.read());
  }

  /** Makes a new current secret; the old one is accepted beside it until finishRotation or ROTATION_OVERLAP_SECONDS. */
  async rotate(): Promise<string> {
    this.refuseWhenConfigured();
    const secret = generateSecret();
    await this.db.transaction(async (tx) => {
      await tx.update(webhookSecrets).set({ retiredAt: sql`now()` }).where(isNull(webhookSecrets.retiredAt));
      await hidingParameters(() => tx.insert(webhookSecrets).values({ secret }));
    });
    this.accepted = null;
    return secret;
  }

  /** Stops accepting every retired secret, once the registry sends the current one; answers how many were dropped. */
  async finishRotation(): Promise<number> {
    this.refuseWhenConfigured();
    const dropped = await this.db.delete(webhookSecrets).where(sql`${webhookSecrets.retiredAt} is not null`).returning({ id: webhookSecrets.id });
    this.accepted = null;
    return dropped.length;
  }

  private refuseWhenConfigured(): void {
    if (this.configured) throw badInput('the webhook secret comes from BERTH_WEBHOOK_SECRET; rotate it by changing that setting and the registry config together');
  }

  private async read(): Promise<Buffer[]> {
    const secrets = this.configured
      ? [this.configured]
      : (
          await this.db
            .select({ secret: webhookSecrets.secret })
            .from(webhookSecrets)
            .where(or(isNull(webhookSecrets.retiredAt), gt(webhookSecrets.retiredAt, sql`now() - make_interval(secs => ${ROTATION_OVERLAP_SECONDS})`)))
        ).map((row) => row.secret);
    this.accepted = { digests: secrets.map((secret) => digestOf(`Bearer ${secret}`)), readAt: Date.now() };
    return this.accepted.digests;
  }

  private async currentRow() {
    const [row] = await this.db.select({ secret: webhookSecrets.secret }).from(webhookSecrets).where(isNull(webhookSecrets.retiredAt));
    return row;
  }

  /** The first secret; when two processes make one at once, the unique current-secret index keeps one and both use it. */
  private async create(): Promise<string> {
    await hidingParameters(() => this.db.insert(webhookSecrets).values({ secret: generateSecret() }).onConflictDoNothing());
    this.accepted = null;
    return (await this.currentRow())!.secret;
  }
}

/** 256 random bits, in characters a YAML file and an HTTP header carry unquoted. */
const generateSecret = () => randomBytes(32).toString('base64url');
