// @peculiar/x509 resolves its parts with tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A signing key and the self-signed certificate the registry's rootcertbundle holds for it, both PEM. */
export interface GeneratedKey {
  privateKey: string;
  certificate: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const VALIDITY_YEARS = 10;
/** The registry may run on a machine whose clock is a little behind. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A new P-256 key (ES256: fast to sign, and what the token spec's own
 * examples use) with a self-signed CA certificate, as
 * `openssl req -x509` makes one. Node's crypto cannot write certificates;
 * @peculiar/x509 does, over the same WebCrypto.
 */
export async function generateSigningKey(issuer: string): Promise<GeneratedKey> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    // 127 random bits: positive, as X.509 wants serial numbers.
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    // The issuer's characters (config.ts) need no escaping in a distinguished name.
    name: `CN=${issuer} registry token signer`,
    notBefore: new Date(now - CLOCK_SKEW_MS),
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
  return { privateKey, certificate: certificate.toString('pem') };
}
