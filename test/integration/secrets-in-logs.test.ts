import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { basic } from '../support/harness';
import { PATIENCE_MS } from '../support/patience';
import { until } from '../support/poll';
import { migratedDataDir } from '../support/templates';

/**
 * A real Berth process at the most verbose log level, sent every kind of
 * credential through every failure path; none of them, nor a hash of one,
 * may appear in its output or in an answer's error message.
 */
let child: ChildProcess;
let output = '';
let url: string;
let dataDir: string;
const ADMIN_PASSWORD = 'admin-password-1f9c';

beforeAll(async () => {
  dataDir = await migratedDataDir();
  child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: path.resolve(__dirname, '../..'),
    env: { PATH: process.env.PATH, PORT: '0', BERTH_DATA_DIR: dataDir, BERTH_DEMO: 'false', BERTH_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'trace' },
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Berth did not start:\n${output}`)), PATIENCE_MS);
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(match[1]);
      }
    }, 100);
  });
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function call(pathname: string, authorization: string | undefined, body?: unknown) {
  const response = await fetch(`${url}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(authorization ? { authorization } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.text();
}
const gql = (query: string, variables: Record<string, unknown>, authorization?: string) => call('/graphql', authorization, { query, variables });

test('no password, token or token hash reaches a log line or an error message', async () => {
  const admin = basic('admin', ADMIN_PASSWORD);
  const answers: string[] = [];
  const secrets: string[] = [ADMIN_PASSWORD];

  const wrongPassword = 'wrong-password-7d2e';
  secrets.push(wrongPassword);
  answers.push(await call('/registry/v1/repositories/mine', basic('admin', wrongPassword)));
  answers.push(await gql('{ viewer { account { name } } }', {}, basic('admin', wrongPassword)));

  const forgedToken = 'berth_forged-token-0a8b';
  secrets.push(forgedToken);
  answers.push(await call('/registry/v1/repositories/mine', `Bearer ${forgedToken}`));
  answers.push(await call('/registry/v1/repositories/mine', basic('admin', forgedToken)));

  const created = JSON.parse(await gql('mutation { createToken(input: { name: "ci" }) { secret token { id } } }', {}, admin)).data.createToken;
  secrets.push(created.secret, createHash('sha256').update(created.secret).digest('hex'));
  expect(await call('/registry/v1/repositories/mine', `Bearer ${created.secret}`)).toBe('{"code":0,"data":[]}');
  answers.push(await call('/registry/v1/repositories/mine', basic('someone-else', created.secret)));
  await gql('mutation($id: Int!) { revokeToken(input: { id: $id }) { token { id } } }', { id: created.token.id }, admin);
  answers.push(await call('/registry/v1/repositories/mine', `Bearer ${created.secret}`));

  const shortPassword = 'short-3c';
  const generated = JSON.parse(await gql('mutation { createAccount(input: { name: "newbie" }) { generatedPassword } }', {}, admin)).data.createAccount.generatedPassword;
  secrets.push(shortPassword, generated);
  answers.push(await gql('mutation($p: String!) { createAccount(input: { name: "shorty", password: $p }) { account { name } } }', { p: shortPassword }, admin));

  const guessedCurrent = 'guessed-current-5e1f';
  const attempted = 'attempted-new-password-9b0c';
  secrets.push(guessedCurrent, attempted);
  answers.push(await gql('mutation($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { account { name } } }', { c: guessedCurrent, n: attempted }, admin));
  answers.push(await gql('mutation($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { account { name } } }', { c: ADMIN_PASSWORD, n: shortPassword }, admin));

  // The registry's token service: a wrong password is refused, issued tokens and the signing key stay out of the log.
  answers.push(await call('/registry/v1/token?service=berth-registry&scope=repository:admin/app:pull', basic('admin', wrongPassword)));
  for (const authorization of [admin, undefined]) {
    const issued = JSON.parse(await call('/registry/v1/token?service=berth-registry&scope=repository:admin/app:pull,push', authorization));
    expect(issued.token).toMatch(/^ey/);
    secrets.push(issued.token, issued.token.split('.')[2]);
  }
  // The log reaches this process through a pipe, possibly after the answer.
  expect(await until(async () => /registry token issued/.test(output), { intervalMs: 50 })).toBe(true);
  expect(output).not.toMatch(/PRIVATE KEY/);

  // Each answer was an error; none names a credential.
  for (const answer of answers) expect(answer).toMatch(/"message"/);
  const base64 = secrets.map((s) => Buffer.from(`admin:${s}`).toString('base64'));
  for (const secret of [...secrets, ...base64]) {
    for (const answer of answers) expect(answer).not.toContain(secret);
    expect(output).not.toContain(secret);
  }
  // The log did see these requests, so the check above looked at real lines.
  expect(output).toMatch(/"statusCode":401/);
});
