import { createPrivateKey, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isNull } from 'drizzle-orm';
import { tokenSigningKeys } from '../../src/db/schema';
import { startServer, type TestServer } from '../support/harness';
import { createRegistry, type Registry } from './support/registry';
import { stopAll } from './support/teardown';

/**
 * How Berth's tokens name their key, checked against the real registry:
 * Distribution 2.8 finds the key by `kid` (its libtrust id) when the header
 * has no certificate, and by `x5c` when it has one (as 3.x always does).
 * Berth sends both; each alone must be enough, and a wrong one not.
 */
let berth: TestServer | undefined;
let registry: Registry | undefined;
let dir: string | undefined;

beforeAll(async () => {
  berth = await startServer();
  dir = await mkdtemp(path.join(tmpdir(), 'berth-kid-'));
  const rootcertbundle = path.join(dir, 'bundle.pem');
  await writeFile(rootcertbundle, await berth.app.services.registryTokens.keys.bundle());
  const { service, issuer } = berth.app.services.registryTokens.settings;
  registry = await createRegistry();
  await registry.start({ notify: null, auth: { realm: `${berth.url}/registry/v1/token`, service, issuer, rootcertbundle } });
});

afterAll(() =>
  stopAll(
    () => registry?.stop(),
    () => berth?.close(),
    () => dir && rm(dir, { recursive: true, force: true }),
  ),
);

/** Berth's own token for the catalog, its header rewritten and signed again with Berth's key. */
async function catalogToken(rewrite: (header: Record<string, unknown>) => Record<string, unknown>): Promise<string> {
  const { token } = await berth!.app.services.registryTokens.forBerth('registry:catalog:*');
  const [header, claims] = token.split('.');
  const rewritten = Buffer.from(JSON.stringify(rewrite(JSON.parse(Buffer.from(header, 'base64url').toString())))).toString('base64url');
  const [{ privateKey }] = await berth!.database.db.select({ privateKey: tokenSigningKeys.privateKey }).from(tokenSigningKeys).where(isNull(tokenSigningKeys.retiredAt));
  const signature = sign('sha256', Buffer.from(`${rewritten}.${claims}`), { key: createPrivateKey(privateKey), dsaEncoding: 'ieee-p1363' });
  return `${rewritten}.${claims}.${signature.toString('base64url')}`;
}

const catalogStatus = async (token: string) => (await fetch(`${registry!.url}/v2/_catalog`, { headers: { authorization: `Bearer ${token}` } })).status;

test('the registry accepts the header as Berth sends it, with kid alone, and with x5c alone', async () => {
  const { token } = await berth!.app.services.registryTokens.forBerth('registry:catalog:*');
  expect(await catalogStatus(token)).toBe(200);
  expect(await catalogStatus(await catalogToken(({ x5c: _x5c, ...header }) => header))).toBe(200);
  expect(await catalogStatus(await catalogToken(({ kid: _kid, ...header }) => header))).toBe(200);
});

test('and refuses a kid that is not the libtrust id of a trusted key', async () => {
  const wrong = await catalogToken(({ x5c: _x5c, kid, ...header }) => ({ ...header, kid: String(kid).toLowerCase() }));
  expect(await catalogStatus(wrong)).toBe(401);
});
