import { and, gt, inArray, lte, sql } from 'drizzle-orm';
import type { SignInLimit } from '../config';
import type { Db } from '../db/client';
import { anyOf } from '../db/sql';
import { signInFailures } from '../db/schema';
import { tooManyRequests } from '../errors';

/** The longest the per-account delay grows to: someone guessing elsewhere slows the owner down, never locks them out. */
export const MAX_ACCOUNT_DELAY_SECONDS = 60;

/** Who is signing in: an account name (known or not) from an address (absent when Berth cannot tell). */
export interface SignInAttempt {
  name: string;
  address?: string;
  /** Whether an account of this name exists. */
  known: boolean;
}

/** A password check the throttle allowed; it counts as a failure unless `succeeded()` is called. */
export interface Reservation {
  /** The check passed: its provisional failure goes. */
  succeeded(): Promise<void>;
  /** The address has used up its guesses at unknown names: a failed check answers 429 as theirs do, so the two look alike. */
  readonly addressSpent: boolean;
}

interface Counted {
  subject: string;
  failures: number;
  oldest: number;
  latest: number;
  now: number;
}

/**
 * Slows password guessing without letting anyone lock an owner out. Within
 * the window, failures count against:
 * - the account from one address (`pair:`): `maxFailures`, then 429 until the
 *   oldest leaves the window;
 * - the account from anywhere (`account:`): past `maxFailures`, each further
 *   check waits a delay that doubles from 1 s up to MAX_ACCOUNT_DELAY_SECONDS
 *   after the latest failure;
 * - the address, for names with no account (`address:`): `maxFailures`, then
 *   429 for unknown names; guesses at unknown names never block an account's
 *   right password.
 * A check is reserved before it runs, as a failure, in a transaction that
 * holds an advisory lock on each subject, so concurrent requests (in every
 * Berth process sharing the database) never run more checks than the limits
 * allow; a check that succeeds removes its reservation. The database's clock
 * decides, so every process agrees.
 */
export class SignInThrottle {
  constructor(
    private readonly db: Db,
    readonly limit: SignInLimit,
  ) {}

  /**
   * Reserves one password check for `attempt`, or throws TOO_MANY_REQUESTS
   * with when to try again. `charge: false` only checks the limits, for a
   * password already known right (see VerifiedPasswords): nothing to reserve.
   */
  async reserve(attempt: SignInAttempt, { charge = true } = {}): Promise<Reservation> {
    const pair = `pair:${attempt.name}@${attempt.address ?? ''}`;
    const account = `account:${attempt.name}`;
    const address = `address:${attempt.address ?? ''}`;
    // An unknown name counts against its address only; without one, against the name from nowhere.
    const charged = attempt.known ? [pair, account] : [attempt.address ? address : pair];
    const read = [...new Set([...charged, address])];
    return this.db.transaction(async (tx) => {
      if (charge) for (const subject of [...charged].sort()) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${subject}, 0))`);
      const rows = (await tx
        .select({
          subject: signInFailures.subject,
          failures: sql<number>`count(*)`.mapWith(Number),
          oldest: sql<number>`extract(epoch from min(${signInFailures.failedAt}))`.mapWith(Number),
          latest: sql<number>`extract(epoch from max(${signInFailures.failedAt}))`.mapWith(Number),
          now: sql<number>`extract(epoch from now())`.mapWith(Number),
        })
        .from(signInFailures)
        .where(and(anyOf(signInFailures.subject, read), gt(signInFailures.failedAt, this.windowStart())))
        .groupBy(signInFailures.subject)) as Counted[];
      const of = (subject: string) => rows.find((row) => row.subject === subject);
      const wait = Math.max(0, ...charged.map((subject) => this.waitSeconds(subject === account ? 'delay' : 'limit', of(subject))));
      if (wait > 0) throw tooManyRequests('too many failed sign-ins; try again later', Math.max(1, Math.ceil(wait)));
      const ids = charge ? await tx.insert(signInFailures).values(charged.map((subject) => ({ subject }))).returning({ id: signInFailures.id }) : [];
      return {
        addressSpent: Boolean(attempt.address) && (of(address)?.failures ?? 0) >= this.limit.maxFailures,
        succeeded: async () => {
          if (ids.length > 0) await this.db.delete(signInFailures).where(inArray(signInFailures.id, ids.map((row) => row.id)));
        },
      };
    });
  }

  /** Seconds until `counted` allows another check: under a hard limit, or the account's growing delay. */
  private waitSeconds(rule: 'limit' | 'delay', counted: Counted | undefined): number {
    if (!counted || counted.failures < this.limit.maxFailures) return 0;
    if (rule === 'limit') return counted.oldest + this.limit.windowSeconds - counted.now;
    const delay = Math.min(MAX_ACCOUNT_DELAY_SECONDS, 2 ** (counted.failures - this.limit.maxFailures));
    return counted.latest + delay - counted.now;
  }

  /** Failures older than the window no longer count; dropping them keeps the table small. */
  async forgetExpired(): Promise<void> {
    await this.db.delete(signInFailures).where(lte(signInFailures.failedAt, this.windowStart()));
  }

  /** Lifts every limit on an account: its failures, from every address, go. */
  async unlock(name: string): Promise<number> {
    const removed = await this.db
      .delete(signInFailures)
      .where(sql`${signInFailures.subject} = ${`account:${name}`} or starts_with(${signInFailures.subject}, ${`pair:${name}@`})`)
      .returning({ id: signInFailures.id });
    return removed.length;
  }

  private windowStart() {
    return sql`now() - make_interval(secs => ${this.limit.windowSeconds})`;
  }
}
