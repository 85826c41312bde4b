import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/db/client';
import { accounts } from '../../src/db/schema';
import { buildApp } from '../../src/server';
import { addBasicUser, addUser, basic, graphql, startServer, type TestServer } from '../support/harness';
import { migratedDataDir } from '../support/templates';

let server: TestServer;
let admin: string;
let user: string;
beforeAll(async () => {
  server = await startServer();
  admin = await addUser(server, 'ada', 'admin');
  user = await addUser(server, 'uma');
});
afterAll(() => server.close());

const whoAmI = async (authorization: string) => {
  const { status, body } = await graphql(server, '{ viewer { account { name role } } }', undefined, authorization);
  return status === 200 ? body.data.viewer.account : body.errors![0].extensions!.code;
};

const CREATE = 'mutation($name: String!, $role: Role, $password: String) { createAccount(input: { name: $name, role: $role, password: $password }) { account { name role } generatedPassword } }';

describe('createAccount', () => {
  test('an admin creates an account whose generated password is shown once and signs in', async () => {
    const { body } = await graphql(server, CREATE, { name: 'gen' }, admin);
    expect(body.data.createAccount.account).toEqual({ name: 'gen', role: 'USER' });
    const password = body.data.createAccount.generatedPassword;
    expect(password).toMatch(/^[\w-]{24}$/);
    expect(await whoAmI(basic('gen', password))).toEqual({ name: 'gen', role: 'USER' });
  });

  test('an admin may choose the password and the role', async () => {
    const { body } = await graphql(server, CREATE, { name: 'chosen', role: 'ADMIN', password: 'a chosen passphrase' }, admin);
    expect(body.data.createAccount).toEqual({ account: { name: 'chosen', role: 'ADMIN' }, generatedPassword: null });
    expect(await whoAmI(basic('chosen', 'a chosen passphrase'))).toEqual({ name: 'chosen', role: 'ADMIN' });
  });

  test('an input sent as one variable takes the default role too', async () => {
    const mutation = 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { name role } } }';
    const { body } = await graphql(server, mutation, { input: { name: 'whole', password: 'a whole passphrase' } }, admin);
    expect(body.data.createAccount.account).toEqual({ name: 'whole', role: 'USER' });
  });

  test.each([
    ['a taken name', { name: 'uma' }, 'CONFLICT'],
    ['an uppercase name', { name: 'Uma2' }, 'BAD_USER_INPUT'],
    ['a name with a slash', { name: 'a/b' }, 'BAD_USER_INPUT'],
    ['a short password', { name: 'shorty', password: 'short' }, 'BAD_USER_INPUT'],
  ])('refuses %s', async (_case, variables, code) => {
    const { body } = await graphql(server, CREATE, variables, admin);
    expect(body.errors?.[0].extensions?.code).toBe(code);
  });

  test('a user cannot create accounts', async () => {
    const { body } = await graphql(server, CREATE, { name: 'sneaky' }, user);
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await whoAmI(basic('sneaky', 'anything-at-all'))).toBe('UNAUTHENTICATED');
  });
});

test('an account name holding a NUL character is a wrong sign-in, not a server error', async () => {
  expect(await whoAmI(basic('uma\0', 'uma-password'))).toBe('UNAUTHENTICATED');
  const response = await fetch(`${server.url}/registry/v1/repositories/mine`, { headers: { authorization: basic('uma\0', 'x') } });
  expect(response.status).toBe(401);
});

describe('changePassword', () => {
  const CHANGE = 'mutation($current: String!, $next: String!) { changePassword(input: { currentPassword: $current, newPassword: $next }) { account { name } } }';

  test('a user changes their own password; the old one stops working', async () => {
    const before = await addBasicUser(server, 'pat');
    const { body } = await graphql(server, CHANGE, { current: 'pat-password', next: 'pat-new-password' }, before);
    expect(body.data.changePassword.account).toEqual({ name: 'pat' });
    expect(await whoAmI(before)).toBe('UNAUTHENTICATED');
    expect(await whoAmI(basic('pat', 'pat-new-password'))).toEqual({ name: 'pat', role: 'USER' });
  });

  test('needs the current password, and does not echo either one', async () => {
    const { body } = await graphql(server, CHANGE, { current: 'wrong-current-pw', next: 'uma-next-password' }, user);
    expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(body)).not.toMatch(/wrong-current-pw|uma-next-password/);
    expect(await whoAmI(user)).toEqual({ name: 'uma', role: 'USER' });
  });

  test('refuses a too-short new password', async () => {
    const { body } = await graphql(server, CHANGE, { current: 'uma-password', next: 'tiny' }, user);
    expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await whoAmI(user)).toEqual({ name: 'uma', role: 'USER' });
  });

  test.each([
    { what: 'a NUL character', next: 'abcdefghij\u0000' },
    { what: 'a lone surrogate', next: 'abcdefghij\ud800' },
  ])('refuses a new password holding $what, with a clear message, and keeps the old one', async ({ next }) => {
    const { body } = await graphql(server, CHANGE, { current: 'uma-password', next }, user);
    expect(body.errors?.[0]).toMatchObject({ message: 'a password must not hold a NUL character (\\u0000) or a lone surrogate', extensions: { code: 'BAD_USER_INPUT' } });
    expect(await whoAmI(user)).toEqual({ name: 'uma', role: 'USER' });
  });
});

describe('repeated password sign-ins', () => {
  test('verify a password with scrypt once, and stop counting the moment the stored hash changes, in any process', async () => {
    const signIn = await addBasicUser(server, 'ria');
    const scrypt = jest.spyOn(crypto, 'scrypt');
    try {
      for (let i = 0; i < 5; i++) expect(await whoAmI(signIn)).toEqual({ name: 'ria', role: 'USER' });
      expect(scrypt).toHaveBeenCalledTimes(1);
      // Another process sharing the database sets a new password: this one's cached sign-in ends with it.
      const { passwordHash } = (await server.database.db.select({ passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.name, 'uma')))[0];
      await server.database.db.update(accounts).set({ passwordHash }).where(eq(accounts.name, 'ria'));
      expect(await whoAmI(signIn)).toBe('UNAUTHENTICATED');
      expect(await whoAmI(basic('ria', 'uma-password'))).toEqual({ name: 'ria', role: 'USER' });
      expect(await whoAmI(basic('ria', 'wrong-password'))).toBe('UNAUTHENTICATED');
    } finally {
      scrypt.mockRestore();
    }
  });
});

describe('berth account (command line)', () => {
  const run = promisify(execFile);
  const cli = (dataDir: string, args: string[], stdin?: string) => {
    const child = run(process.execPath, ['-r', '@swc-node/register', 'src/cli/index.ts', 'account', ...args], {
      cwd: path.resolve(__dirname, '../..'),
      env: { PATH: process.env.PATH, BERTH_DATA_DIR: dataDir },
    });
    if (stdin !== undefined) child.child.stdin!.end(stdin);
    return child.then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  };

  let dataDir: string;
  beforeAll(async () => {
    dataDir = await migratedDataDir();
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  /** Signs in over HTTP against the database the commands wrote. */
  async function signsIn(name: string, password: string) {
    const database = await openDatabase({ dataDir });
    const app = await buildApp({ config: { bodyLimit: 65536, logLevel: 'silent' }, database });
    try {
      const response = await app.http.inject({ method: 'GET', url: '/registry/v1/namespace', headers: { authorization: basic(name, password) } });
      return response.statusCode === 200;
    } finally {
      await app.http.close();
      await database.close();
    }
  }

  test('add prints a generated password once, passwd --password-stdin replaces it, and both sign in as documented', async () => {
    const added = await cli(dataDir, ['add', 'ci-admin', '--admin']);
    expect(added).toMatchObject({ code: 0, stdout: expect.stringMatching(/created admin account ci-admin/) });
    const generated = /password for ci-admin: (\S+)/.exec(added.stdout)![1];
    expect(await signsIn('ci-admin', generated)).toBe(true);

    const changed = await cli(dataDir, ['passwd', 'ci-admin', '--password-stdin'], 'piped-in password\n');
    expect(changed).toMatchObject({ code: 0, stdout: 'changed the password of ci-admin and lifted its sign-in limits; it has no access tokens\n' });
    expect(await signsIn('ci-admin', generated)).toBe(false);
    expect(await signsIn('ci-admin', 'piped-in password')).toBe(true);
  });

  test('a taken name or a short password fails with one line and exit status 1', async () => {
    await cli(dataDir, ['add', 'taken', '--password-stdin'], 'long enough password');
    expect(await cli(dataDir, ['add', 'taken'])).toEqual({ code: 1, stdout: '', stderr: 'berth: account taken already exists\n' });
    const short = await cli(dataDir, ['passwd', 'taken', '--password-stdin'], 'short');
    expect(short).toEqual({ code: 1, stdout: '', stderr: expect.stringMatching(/^berth: a password must be 10 to 1024 characters long\n$/) });
  });
});
