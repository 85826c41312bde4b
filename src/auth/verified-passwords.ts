import { createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Passwords this process verified recently, so that repeated sign-ins with
 * the same password (a token request before every `docker pull` of a CI
 * job) skip scrypt. An entry is keyed by an HMAC of name and password under
 * a key that never leaves the process, and holds the stored hash it was
 * verified against: it counts only while the account still has that hash,
 * so a password change, in any process sharing the database, ends it at
 * once. Bounded in size and age, like any cache of credentials.
 */
export class VerifiedPasswords {
  private readonly key = randomBytes(32);
  private readonly verified = new LRUCache<string, string>({ max: 10_000, ttl: 5 * 60_000 });

  private idOf(name: string, password: string): string {
    return createHmac('sha256', this.key).update(name).update('\0').update(password).digest('base64url');
  }

  /** True when this password was verified against exactly this stored hash. */
  holds(name: string, password: string, passwordHash: string): boolean {
    return this.verified.get(this.idOf(name, password)) === passwordHash;
  }

  remember(name: string, password: string, passwordHash: string): void {
    this.verified.set(this.idOf(name, password), passwordHash);
  }
}
