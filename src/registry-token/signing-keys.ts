import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { desc, gt, isNull, or, sql } from 'drizzle-orm';
import type { TokenSettings } from '../config';
import type { Db } from '../db/client';
import { hidingParameters } from '../db/query-errors';
import { tokenSigningKeys } from '../db/schema';
import { badInput } from '../errors';
import { StartupError } from '../startup-error';
import { generateSigningKey } from './certificate';
import { TokenSigner } from './signer';

/**
 * How long a process signs with the key it read before looking again: a
 * rotation by another process sharing the database reaches it within this.
 */
export const KEY_REFRESH_MS = 30_000;

/** The PEM blocks of a file holding one certificate or a chain. */
const certificatesOf = (pem: string) => (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((block) => new X509Certificate(block));

/**
 * The key that signs registry tokens, and the certificates the registry
 * must trust. Either the operator's files (BERTH_TOKEN_KEY_FILE and
 * BERTH_TOKEN_CERT_FILE), or keys Berth makes and keeps in the database:
 * the first on first use, later ones by `rotate`. A retired key stays in the
 * bundle for one token lifetime (and one refresh), so tokens it signed keep
 * working while the registry is given the new bundle.
 */
export class SigningKeys {
  private current: { id: number; signer: TokenSigner; readAt: number } | null = null;
  private fromFiles: Promise<{ signer: TokenSigner; bundle: string }> | null = null;

  constructor(
    private readonly db: Db,
    private readonly settings: TokenSettings,
  ) {}

  async signer(): Promise<TokenSigner> {
    if (this.settings.keyFile) return (await this.files()).signer;
    if (this.current && Date.now() - this.current.readAt < KEY_REFRESH_MS) return this.current.signer;
    const row = (await this.currentRow()) ?? (await this.create());
    if (this.current?.id !== row.id) this.current = { id: row.id, signer: new TokenSigner(createPrivateKey(row.privateKey), certificatesOf(row.certificate)), readAt: 0 };
    this.current.readAt = Date.now();
    return this.current.signer;
  }

  /** The rootcertbundle the registry needs: PEM certificates, the current key's first. */
  async bundle(): Promise<string> {
    if (this.settings.keyFile) return (await this.files()).bundle;
    await this.signer();
    const retention = this.settings.ttlSeconds + KEY_REFRESH_MS / 1000;
    const rows = await this.db
      .select({ certificate: tokenSigningKeys.certificate })
      .from(tokenSigningKeys)
      .where(or(isNull(tokenSigningKeys.retiredAt), gt(tokenSigningKeys.retiredAt, sql`now() - make_interval(secs => ${retention})`)))
      .orderBy(sql`${tokenSigningKeys.retiredAt} desc nulls first`, desc(tokenSigningKeys.id));
    return rows.map((row) => row.certificate.trim()).join('\n') + '\n';
  }

  /** Retires the current key and makes a new one, which signs from now on; returns the new bundle. */
  async rotate(): Promise<string> {
    if (this.settings.keyFile) throw badInput('the signing key comes from BERTH_TOKEN_KEY_FILE; rotate it by replacing that file and BERTH_TOKEN_CERT_FILE');
    const key = await generateSigningKey(this.settings.issuer);
    await this.db.transaction(async (tx) => {
      await tx.update(tokenSigningKeys).set({ retiredAt: sql`now()` }).where(isNull(tokenSigningKeys.retiredAt));
      await hidingParameters(() => tx.insert(tokenSigningKeys).values(key));
    });
    this.current = null;
    return this.bundle();
  }

  private async currentRow() {
    const [row] = await this.db
      .select({ id: tokenSigningKeys.id, privateKey: tokenSigningKeys.privateKey, certificate: tokenSigningKeys.certificate })
      .from(tokenSigningKeys)
      .where(isNull(tokenSigningKeys.retiredAt));
    return row;
  }

  /** The first key; when two processes make one at once, the unique current-key index keeps one and both use it. */
  private async create() {
    const key = await generateSigningKey(this.settings.issuer);
    await hidingParameters(() => this.db.insert(tokenSigningKeys).values(key).onConflictDoNothing());
    return (await this.currentRow())!;
  }

  private files() {
    this.fromFiles ??= (async () => {
      const { keyFile, certificateFile } = this.settings as Required<TokenSettings>;
      const [key, chain] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certificateFile, 'utf8')]).catch((error: Error) => {
        throw new StartupError(`cannot read the registry token key or certificate: ${error.message}`);
      });
      const certificates = certificatesOf(chain);
      try {
        // The parse error of a key file could quote it, so only the file is named.
        const signer = new TokenSigner(createPrivateKey(key), certificates);
        return { signer, bundle: certificates.map((certificate) => certificate.toString().trim()).join('\n') + '\n' };
      } catch (error) {
        const why = error instanceof Error && !error.message.includes('PRIVATE') ? `: ${error.message}` : '';
        throw new StartupError(`BERTH_TOKEN_KEY_FILE ${keyFile} with BERTH_TOKEN_CERT_FILE ${certificateFile} cannot sign registry tokens${why}`);
      }
    })();
    return this.fromFiles;
  }
}
