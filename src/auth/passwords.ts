import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { UNSTORABLE } from '../db/sql';

/**
 * scrypt from node:crypto: a memory-hard slow hash that needs no native
 * add-on. Parameters are stored with each hash so they can be raised later.
 */
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 256 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(N), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Long enough to resist guessing under the sign-in limit; short enough that hashing cannot be abused. */
export const PASSWORD_LENGTH = { min: 10, max: 1024 };

/** What is wrong with a password a person chose, if anything. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max) return `must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters long`;
  // NUL cuts C strings short in other tools, and a lone surrogate has no UTF-8 form (every one would hash alike).
  if (UNSTORABLE.test(password)) return 'must not hold a NUL character (\\u0000) or a lone surrogate';
  return undefined;
}

/** A password a person can copy from a terminal: 24 characters, about 143 bits. */
export const generatePassword = () => randomBytes(18).toString('base64url');
