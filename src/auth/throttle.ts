import { and, lte, sql } from 'drizzle-orm';
import type { SignInLimit } from '../config';
import type { Db } from '../db/client';
import { anyOf } from '../db/sql';
import { signInFailures } from '../db/schema';
import { tooManyRequests } from '../errors';

/** What a failed sign-in counts against: the account attacked, and the address it came from. */
export const subjectsOf = (name: string, address?: string) => [`account:${name}`, ...(address ? [`address:${address}`] : [])];

/**
 * Slows password guessing: after `maxFailures` failed sign-ins for an
 * account or from an address within the window, further attempts get 429
 * until the oldest counted failure leaves the window. The state lives in the
 * database (and its clock), so every Berth process sharing it agrees.
 */
export class SignInThrottle {
  constructor(
    private readonly db: Db,
    readonly limit: SignInLimit,
  ) {}

  private window() {
    return sql`now() - make_interval(secs => ${this.limit.windowSeconds})`;
  }

  /** Throws TOO_MANY_REQUESTS when any subject has used up its failures. Call before checking a password. */
  async check(subjects: string[]): Promise<void> {
    const ranked = this.db
      .select({
        failedAt: signInFailures.failedAt,
        rank: sql<number>`row_number() over (partition by ${signInFailures.subject} order by ${signInFailures.failedAt} desc)`.as('rank'),
      })
      .from(signInFailures)
      .where(and(anyOf(signInFailures.subject, subjects), sql`${signInFailures.failedAt} > ${this.window()}`))
      .as('ranked');
    // The maxFailures-th newest failure of a subject is the one that must expire before it may try again.
    const [blocked] = await this.db
      .select({
        retryAfter: sql<number>`ceil(extract(epoch from max(${ranked.failedAt}) + make_interval(secs => ${this.limit.windowSeconds}) - now()))`.mapWith(Number),
      })
      .from(ranked)
      .where(sql`${ranked.rank} = ${this.limit.maxFailures}`)
      .having(sql`count(*) > 0`);
    if (blocked) throw tooManyRequests('too many failed sign-ins; try again later', Math.max(1, blocked.retryAfter));
  }

  async recordFailure(subjects: string[]): Promise<void> {
    await this.db.insert(signInFailures).values(subjects.map((subject) => ({ subject })));
    // Failures older than the window no longer count; drop them so the table stays small.
    await this.db.delete(signInFailures).where(lte(signInFailures.failedAt, this.window()));
  }
}
