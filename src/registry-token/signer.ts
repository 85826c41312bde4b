import { createHash, createPublicKey, sign, type KeyObject, type X509Certificate } from 'node:crypto';

/** What the registry reads from a token's `access` claim. */
export interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

/** The claims Distribution checks (see test/fixtures/registry/TOKEN.md). */
export interface TokenClaims {
  iss: string;
  /** The account name; "" for an anonymous caller. The registry reports it as the events' `actor.name`. */
  sub: string;
  /** A string: Distribution 2.8 refuses an array, even of one. */
  aud: string;
  /** Whole seconds: Distribution refuses a fraction. */
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  access: AccessEntry[];
}

interface Algorithm {
  name: 'ES256' | 'ES384' | 'RS256';
  hash: 'sha256' | 'sha384';
  /** JWS carries ECDSA signatures as r‖s, not DER. */
  dsaEncoding?: 'ieee-p1363';
}

function algorithmOf(key: KeyObject): Algorithm {
  if (key.asymmetricKeyType === 'rsa') return { name: 'RS256', hash: 'sha256' };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { name: 'ES256', hash: 'sha256', dsaEncoding: 'ieee-p1363' };
    if (curve === 'secp384r1') return { name: 'ES384', hash: 'sha384', dsaEncoding: 'ieee-p1363' };
  }
  throw new Error(`a registry token key must be RSA or EC P-256/P-384, not ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim());
}

/**
 * libtrust's key id, which Distribution 2.8 looks a `kid` up by: SHA-256 of
 * the DER SubjectPublicKeyInfo, first 240 bits, base32 without padding, in
 * groups of four joined by `:`.
 */
export function libtrustKeyId(publicKey: KeyObject): string {
  const hash = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of hash) bits += byte.toString(2).padStart(8, '0');
  const base32 = bits.match(/.{5}/g)!.map((chunk) => alphabet[parseInt(chunk, 2)]).join('');
  return base32.match(/.{4}/g)!.join(':');
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * Signs registry tokens with one key. The header names the key twice, as
 * both registry generations want it: `x5c` (the certificate chain, verified
 * against the rootcertbundle by Distribution 2.8 and 3) and `kid` (2.8's
 * libtrust id). node:crypto signs synchronously, in tens of microseconds
 * for P-256, so a token costs no await.
 */
export class TokenSigner {
  private readonly algorithm: Algorithm;
  private readonly encodedHeader: string;

  constructor(
    private readonly privateKey: KeyObject,
    /** Leaf first. */
    chain: readonly X509Certificate[],
  ) {
    this.algorithm = algorithmOf(privateKey);
    const publicKey = createPublicKey(privateKey);
    if (!chain[0]?.publicKey.equals(publicKey)) throw new Error('the certificate is not the signing key’s (its public key differs)');
    const header = { typ: 'JWT', alg: this.algorithm.name, kid: libtrustKeyId(publicKey), x5c: chain.map((certificate) => certificate.raw.toString('base64')) };
    this.encodedHeader = base64url(JSON.stringify(header));
  }

  sign(claims: TokenClaims): string {
    const input = `${this.encodedHeader}.${base64url(JSON.stringify(claims))}`;
    const { hash, dsaEncoding } = this.algorithm;
    const signature = sign(hash, Buffer.from(input), dsaEncoding ? { key: this.privateKey, dsaEncoding } : this.privateKey);
    return `${input}.${base64url(signature)}`;
  }
}
