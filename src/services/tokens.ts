import { and, desc, eq } from 'drizzle-orm';
import { generateTokenSecret, hashTokenSecret } from '../auth/credentials';
import type { Viewer } from '../auth/viewer';
import type { Db } from '../db/client';
import { hidingParameters } from '../db/query-errors';
import { storable } from '../db/sql';
import { accessTokens, accounts, type AccessTokenPermission } from '../db/schema';
import { badInput, forbidden, notFound, unauthenticated } from '../errors';

export interface TokenRecord {
  id: number;
  name: string;
  permission: AccessTokenPermission;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

const tokenColumns = {
  id: accessTokens.id,
  name: accessTokens.name,
  permission: accessTokens.permission,
  createdAt: accessTokens.createdAt,
  expiresAt: accessTokens.expiresAt,
  lastUsedAt: accessTokens.lastUsedAt,
};

const NAME_LENGTH = 100;

/** Personal access tokens: each account sees, creates and revokes only its own. */
export class TokenService {
  constructor(private readonly db: Db) {}

  async list(viewer: Viewer | null): Promise<TokenRecord[]> {
    if (!viewer) throw unauthenticated('sign in to list your access tokens');
    return this.db
      .select(tokenColumns)
      .from(accessTokens)
      .where(eq(accessTokens.accountId, viewer.accountId))
      .orderBy(desc(accessTokens.createdAt), desc(accessTokens.id));
  }

  /** Returns the secret once; only its hash is stored. */
  async create(
    viewer: Viewer | null,
    { name, expiresAt, permission }: Pick<TokenRecord, 'name' | 'expiresAt' | 'permission'>,
  ): Promise<{ token: TokenRecord; secret: string }> {
    if (!viewer) throw unauthenticated('sign in to create an access token');
    // Otherwise a leaked token could renew itself for ever, outliving its revocation.
    if (viewer.signedInWith === 'token') throw forbidden('sign in with your password to create an access token; a token cannot make tokens');
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > NAME_LENGTH || !storable(trimmed)) throw badInput(`a token name is 1 to ${NAME_LENGTH} characters, without NUL`);
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw badInput('expiresAt must be in the future');
    const secret = generateTokenSecret();
    const secretHash = hashTokenSecret(secret);
    const [token] = await hidingParameters(() =>
      this.db.insert(accessTokens).values({ accountId: viewer.accountId, name: trimmed, secretHash, permission, expiresAt }).returning(tokenColumns),
    );
    return { token, secret };
  }

  /** Deletes one of the viewer's tokens; someone else's token is as unknown as a missing one. */
  async revoke(viewer: Viewer | null, id: number): Promise<TokenRecord> {
    if (!viewer) throw unauthenticated('sign in to revoke an access token');
    const [token] = await this.db
      .delete(accessTokens)
      .where(and(eq(accessTokens.id, id), eq(accessTokens.accountId, viewer.accountId)))
      .returning(tokenColumns);
    if (!token) throw notFound(`access token ${id} not found`);
    return token;
  }

  /** An admin revokes every token of an account (one that left, or whose tokens leaked); answers how many. */
  async revokeAll(viewer: Viewer | null, accountName: string): Promise<number> {
    if (!viewer) throw unauthenticated('sign in as an admin to revoke the tokens of an account');
    if (viewer.role !== 'admin') throw forbidden("only admins revoke another account's tokens");
    const [account] = storable(accountName) ? await this.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, accountName)) : [];
    if (!account) throw notFound(`account ${accountName} not found`);
    const revoked = await this.db.delete(accessTokens).where(eq(accessTokens.accountId, account.id)).returning({ id: accessTokens.id });
    return revoked.length;
  }
}
