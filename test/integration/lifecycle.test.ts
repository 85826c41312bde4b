import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { parse } from 'yaml';
import { buildBerth, runBerth, runBerthToExit, type BerthProcess } from '../support/berth-process';
import { suite } from '../support/drivers';
import { until } from '../support/poll';
import { byFile } from '../support/registry-events';
import { startReplayRegistry } from '../support/replay-registry';
import { migratedDataDir } from '../support/templates';

// These run the built CLI as a child process with its own database, so they
// do not depend on the harness driver: they run on PGlite only (see drivers.ts).
let scratch: string;
const started: BerthProcess[] = [];

beforeAll(() => {
  buildBerth();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'berth-lifecycle-'));
  // Another user must reach the folders inside (the unreadable-folder test runs Berth as nobody).
  chmodSync(scratch, 0o755);
});

afterEach(async () => {
  for (const berth of started.splice(0)) {
    if (berth.child.exitCode === null && berth.child.signalCode === null) {
      berth.child.kill('SIGKILL');
      await berth.exited;
    }
  }
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function serve(dataDir: string, ...flags: string[]): BerthProcess {
  const berth = runBerth(['serve', '--port', '0', '--data-dir', dataDir, ...flags]);
  started.push(berth);
  return berth;
}

const REPOSITORIES = JSON.stringify({ query: '{ repositories(first: 5) { nodes { fullName } } }' });
const DEMO_PUBLIC = { data: { repositories: { nodes: [{ fullName: 'admin/nginx' }, { fullName: 'library/registry' }, { fullName: 'library/nginx' }] } } };

/** Whether a new connection to `url` is refused now. */
function refusesConnection(url: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

suite('graceful shutdown', () => {
  test('on SIGTERM a request in flight completes, new connections are refused, the database closes and Berth exits 0', async () => {
    // A new folder: this is also the test of serve's first start (initdb, migrations, admin, demo).
    const dataDir = path.join(scratch, 'shutdown');
    const berth = serve(dataDir);
    const url = await berth.listening;

    // Send the headers and part of the body: the request is in flight when the signal arrives.
    const request = http.request(`${url}/graphql`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(REPOSITORIES) },
    });
    const response = new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      request.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      request.on('error', reject);
    });
    request.write(REPOSITORIES.slice(0, 10));
    await berth.waitForOutput(/"url":"\/graphql".*"msg":"incoming request"/);

    berth.child.kill('SIGTERM');
    await berth.waitForOutput(/"signal":"SIGTERM".*"msg":"shutting down/);
    expect(await until(() => refusesConnection(url), { intervalMs: 100 })).toBe(true);

    request.end(REPOSITORIES.slice(10));
    expect(await response).toEqual({ status: 200, body: DEMO_PUBLIC });
    expect(await berth.exited).toEqual({ code: 0, signal: null });
    expect(berth.stdout()).toMatch(/"msg":"stopped"/);

    // PGlite checkpointed and the folder lock is gone: the next start opens the same data.
    const again = serve(dataDir);
    const againUrl = await again.listening;
    expect(again.stdout()).not.toMatch(/Created account/);
    const answer = await fetch(`${againUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: REPOSITORIES });
    expect(await answer.json()).toEqual(DEMO_PUBLIC);
    again.child.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });
});

suite('start-up mistakes exit 1 with one line saying what to fix', () => {
  test('the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const result = await runBerthToExit(['serve', '--port', String(port), '--data-dir', await migratedDataDir(path.join(scratch, 'port-taken'))]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`berth: port ${port} on 127.0.0.1 is already in use (another Berth?); choose another with PORT / --port\n`);
    } finally {
      blocker.close();
    }
  });

  test('the data folder is not readable', async () => {
    const dataDir = path.join(scratch, 'unreadable');
    mkdirSync(dataDir);
    // root reads any folder, so as root the folder stays root's and Berth runs as nobody.
    const asRoot = process.getuid?.() === 0;
    chmodSync(dataDir, asRoot ? 0o700 : 0o000);
    try {
      const result = await runBerthToExit(['serve', '--port', '0', '--data-dir', dataDir], {}, asRoot ? { uid: 65534, gid: 65534 } : {});
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^berth: the data folder ${dataDir} \\(BERTH_DATA_DIR / --data-dir\\) is not readable and writable: EACCES`));
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      chmodSync(dataDir, 0o700);
    }
  });

  test('the data folder is a file', async () => {
    const dataDir = path.join(scratch, 'a-file');
    writeFileSync(dataDir, 'not a database');
    const result = await runBerthToExit(['serve', '--port', '0', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^berth: the data folder .*a-file \(BERTH_DATA_DIR \/ --data-dir\) is not a folder/);
  });

  test('a second Berth on the same data folder refuses, and the first keeps serving', async () => {
    const dataDir = await migratedDataDir(path.join(scratch, 'shared'));
    const first = serve(dataDir);
    const url = await first.listening;
    const second = await runBerthToExit(['serve', '--port', '0', '--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `berth: the data folder ${dataDir} (BERTH_DATA_DIR / --data-dir) is in use by another Berth process (lock ${dataDir}.lock); stop that one, or give this one another folder (a lock left by a Berth that was killed expires within 20 s)\n`,
    );
    // A command, unlike a second server, is handed to the one running.
    const migrate = await runBerthToExit(['migrate', '--data-dir', dataDir]);
    expect(migrate).toMatchObject({ code: 0, stdout: `berth: the database in ${dataDir} is up to date\n` });
    expect(first.stdout()).toMatch(/"command":"migrate","msg":"running a command from the command line"/);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  test('DATABASE_URL points at no server', async () => {
    const result = await runBerthToExit(['serve', '--port', '0'], { DATABASE_URL: 'postgres://berth:secret@127.0.0.1:1/berth' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'berth: cannot reach the PostgreSQL server at postgres://berth:***@127.0.0.1:1/berth (DATABASE_URL / --database-url): connect ECONNREFUSED 127.0.0.1:1\n',
    );
  });

  test('DATABASE_URL is not a PostgreSQL URL', async () => {
    const result = await runBerthToExit(['serve', '--port', '0', '--database-url', 'mysql://127.0.0.1/berth']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('berth: DATABASE_URL (--database-url) must be a postgres:// or postgresql:// URL\n');
  });

  (process.env.DATABASE_URL ? test : test.skip)('DATABASE_URL names a database the server does not have', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/berth_no_such_database';
    const result = await runBerthToExit(['serve', '--port', '0'], { DATABASE_URL: url.toString() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^berth: the PostgreSQL server at .* has no such database: database "berth_no_such_database" does not exist\n$/);
  });
});

suite('command line', () => {
  test('a flag overrides its environment variable, and a bad flag value is named', async () => {
    const bad = await runBerthToExit(['serve', '--port', 'eighty']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('berth: PORT (--port) must be an integer from 0 to 65535, got "eighty"\n');

    const berth = runBerth(['serve', '--port', '0', '--data-dir', await migratedDataDir(path.join(scratch, 'flags')), '--no-demo'], { PORT: 'not-a-port', BERTH_DEMO: 'true' });
    started.push(berth);
    const url = await berth.listening;
    const answer = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: REPOSITORIES });
    expect(await answer.json()).toEqual({ data: { repositories: { nodes: [] } } });
  });

  test('every command documents its flags with their environment variables', async () => {
    const help = await runBerthToExit(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/serve \[options\]/);
    expect(help.stdout).toMatch(/migrate \[options\]/);
    const serveHelp = await runBerthToExit(['serve', '--help']);
    for (const [flag, variable] of [['--port', 'PORT'], ['--data-dir', 'BERTH_DATA_DIR'], ['--database-url', 'DATABASE_URL'], ['--log-level', 'LOG_LEVEL']]) {
      expect(serveHelp.stdout).toMatch(new RegExp(`${flag} [^]*?\\[env\\s+${variable}\\]`));
    }
  });

  test('migrate brings a new data folder up to date and exits 0', async () => {
    const dataDir = path.join(scratch, 'migrate');
    const result = await runBerthToExit(['migrate', '--data-dir', dataDir]);
    expect(result).toMatchObject({ code: 0, stdout: `berth: the database in ${dataDir} is up to date\n` });
  });
});

/** The password a command or a first start printed for `name`. */
const passwordIn = (output: string, name: string) => new RegExp(`password for ${name}: (\\S+)\\n|Created account "${name}" with password: (\\S+)\\n`).exec(output)?.slice(1).find(Boolean);

/** The caller's namespace as the legacy API answers it; a 401 when the credentials are wrong. */
async function namespaceOf(url: string, name: string, password: string) {
  const response = await fetch(`${url}/registry/v1/namespace`, { headers: { authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}` } });
  return { status: response.status, namespace: ((await response.json()) as { data?: { Namespace?: string } | null }).data?.Namespace };
}

const command = (dataDir: string, ...args: string[]) => runBerthToExit([...args, '--data-dir', dataDir]);

suite('commands while a server runs on the embedded database', () => {
  test('account add and passwd are handed to the server: the account signs in through HTTP and owns its namespace', async () => {
    const dataDir = path.join(scratch, 'beside');
    const berth = serve(dataDir);
    const url = await berth.listening;

    const added = await command(dataDir, 'account', 'add', 'alice');
    expect(added).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/^created user account alice, owning namespace alice\npassword for alice: \S+\n\(shown once/) });
    const first = passwordIn(added.stdout, 'alice')!;
    expect(await namespaceOf(url, 'alice', first)).toEqual({ status: 200, namespace: 'alice' });
    expect(berth.stdout()).toMatch(/"command":"account add","msg":"running a command from the command line"/);
    // Its arguments (a password among them) stay out of the server's log.
    expect(berth.stdout()).not.toContain(first);

    const changed = await command(dataDir, 'account', 'passwd', 'alice');
    expect(changed).toMatchObject({ code: 0, stdout: expect.stringMatching(/^changed the password of alice and lifted its sign-in limits; it has no access tokens\npassword for alice: \S+\n/) });
    expect(await namespaceOf(url, 'alice', passwordIn(changed.stdout, 'alice')!)).toEqual({ status: 200, namespace: 'alice' });
    expect((await namespaceOf(url, 'alice', first)).status).toBe(401);

    // A refusal comes back as one line and exit status 1, from the server's own services.
    expect(await command(dataDir, 'account', 'add', 'alice')).toEqual({ code: 1, stdout: '', stderr: 'berth: account alice already exists\n' });
    const unnamed = await command(dataDir, 'account', 'add', 'x');
    expect(unnamed).toMatchObject({ code: 1, stderr: expect.stringMatching(/^berth: x cannot name a namespace/) });
    const plain = await command(dataDir, 'account', 'add', 'x', '--no-namespace');
    expect(plain).toMatchObject({ code: 0, stdout: expect.stringMatching(/^created user account x\npassword for x: /) });
    expect(await namespaceOf(url, 'x', passwordIn(plain.stdout, 'x')!)).toEqual({ status: 200, namespace: undefined });
  });

  test('account unlock and account passwd lift the sign-in limits of a running server; passwd --revoke-tokens revokes the tokens', async () => {
    const dataDir = path.join(scratch, 'unlock-beside');
    const berth = serve(dataDir, '--signin-max-failures', '2');
    const url = await berth.listening;
    const password = passwordIn((await command(dataDir, 'account', 'add', 'carol')).stdout, 'carol')!;
    const lockOut = async () => {
      for (const guess of ['guess-1', 'guess-2']) expect((await namespaceOf(url, 'carol', guess)).status).toBe(401);
    };

    await lockOut();
    expect((await namespaceOf(url, 'carol', password)).status).toBe(429);
    expect(await command(dataDir, 'account', 'unlock', 'carol')).toMatchObject({ code: 0, stdout: 'lifted the sign-in limits of carol: its right password signs in from every address again\n' });
    expect(await namespaceOf(url, 'carol', password)).toEqual({ status: 200, namespace: 'carol' });
    expect(await command(dataDir, 'account', 'unlock', 'nobody')).toEqual({ code: 1, stdout: '', stderr: 'berth: account nobody not found\n' });

    const created = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`carol:${password}`).toString('base64')}` },
      body: JSON.stringify({ query: 'mutation { createToken(input: { name: "ci" }) { secret } }' }),
    });
    const secret = ((await created.json()) as { data: { createToken: { secret: string } } }).data.createToken.secret;
    expect((await namespaceOf(url, 'carol', secret)).status).toBe(200);

    await lockOut();
    const kept = await command(dataDir, 'account', 'passwd', 'carol');
    expect(kept.stdout).toMatch(/^changed the password of carol and lifted its sign-in limits; its 1 access token still signs in \(--revoke-tokens revokes them\)\n/);
    expect((await namespaceOf(url, 'carol', passwordIn(kept.stdout, 'carol')!)).status).toBe(200);
    expect((await namespaceOf(url, 'carol', secret)).status).toBe(200);

    await lockOut();
    const revoked = await command(dataDir, 'account', 'passwd', 'carol', '--revoke-tokens');
    expect(revoked.stdout).toMatch(/^changed the password of carol and lifted its sign-in limits; revoked its 1 access token\n/);
    expect((await namespaceOf(url, 'carol', passwordIn(revoked.stdout, 'carol')!)).status).toBe(200);
    expect((await namespaceOf(url, 'carol', secret)).status).toBe(401);
  });

  test('sync is handed to the server and runs with its registry settings; the error of a server without one comes back', async () => {
    const dataDir = path.join(scratch, 'sync-beside');
    const berth = serve(dataDir);
    await berth.listening;
    // The command line's own REGISTRY_URL does not matter: the server syncs with the registry it follows, here none.
    const sync = await runBerthToExit(['sync', '--data-dir', dataDir], { REGISTRY_URL: 'http://127.0.0.1:1' });
    expect(sync).toEqual({ code: 1, stdout: '', stderr: 'berth: no registry is configured: set REGISTRY_URL to sync with one\n' });
    expect(berth.stdout()).toMatch(/"command":"sync","msg":"running a command from the command line"/);
  });

  test('sync through a server that follows a registry adds what the registry holds', async () => {
    const registry = await startReplayRegistry();
    try {
      const dataDir = path.join(scratch, 'sync-registry');
      const berth = runBerth(['serve', '--port', '0', '--data-dir', dataDir], { REGISTRY_URL: registry.url });
      started.push(berth);
      const url = await berth.listening;
      const sync = await command(dataDir, 'sync');
      expect(sync).toMatchObject({ code: 0, stdout: expect.stringMatching(/^synced 3 repositories with the registry:\n {2}repositories added 3, removed 0\n/) });
      const answer = await fetch(`${url}/registry/v1/repositories/public`);
      expect(((await answer.json()) as { data: { Namespace: string; Image: string }[] }).data.map((r) => `${r.Namespace}/${r.Image}`)).toEqual(['library/hello']);
    } finally {
      await registry.close();
    }
  });

  test('registry config and token rotate run in the server, with its settings and its signing key', async () => {
    const dataDir = path.join(scratch, 'registry-config');
    // A command with no server opens the database itself and makes the key the server then signs with.
    const bundleFile = path.join(scratch, 'first-bundle.pem');
    const before = await command(dataDir, 'registry', 'config', '--cert-out', bundleFile);
    expect(before.code).toBe(0);
    const berth = serve(dataDir, '--url', 'https://berth.example.com', '--token-service', 'registry.example.com');
    const url = await berth.listening;
    const x5c = async () => {
      const { token } = (await (await fetch(`${url}/registry/v1/token?service=registry.example.com`)).json()) as { token: string };
      return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).x5c[0] as string;
    };
    const der = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!.map((block) => new X509Certificate(block).raw.toString('base64'));
    expect(der(readFileSync(bundleFile, 'utf8'))).toEqual([await x5c()]);

    const certOut = path.join(scratch, 'bundle.pem');
    const printed = await command(dataDir, 'registry', 'config', '--listen', '127.0.0.1:5123', '--storage', 'images', '--cert-out', certOut);
    expect(printed).toMatchObject({ code: 0, stderr: '' });
    expect(berth.stdout()).toMatch(/"command":"registry config"/);
    const config = parse(printed.stdout);
    expect(config).toMatchObject({
      version: 0.1,
      storage: { filesystem: { rootdirectory: path.resolve('images') }, delete: { enabled: true } },
      http: { addr: '127.0.0.1:5123', secret: expect.stringMatching(/^[\w-]{32}$/) },
      auth: { token: { realm: 'https://berth.example.com/registry/v1/token', service: 'registry.example.com', issuer: 'berth', rootcertbundle: certOut } },
      notifications: {
        events: { includereferences: true },
        endpoints: [{ name: 'berth', url: 'https://berth.example.com/registry/v1/notifications', headers: { Authorization: [expect.stringMatching(/^Bearer [\w-]{43}$/)] } }],
      },
    });
    expect(printed.stdout).toMatch(/start Berth with REGISTRY_URL=http:\/\/127\.0\.0\.1:5123/);
    const first = der(readFileSync(certOut, 'utf8'));
    expect(first).toEqual([await x5c()]);

    const rotated = await command(dataDir, 'token', 'rotate', '--cert-out', certOut);
    expect(rotated).toMatchObject({ code: 0, stdout: expect.stringMatching(/^made a new registry token signing key/) });
    const bundle = der(readFileSync(certOut, 'utf8'));
    expect(bundle).toHaveLength(2);
    expect(bundle[1]).toBe(first[0]);
    expect(await x5c()).toBe(bundle[0]);
    // Without --cert-out the bundle is printed.
    expect((await command(dataDir, 'token', 'rotate')).stdout).toMatch(/-----BEGIN CERTIFICATE-----/);
    expect(berth.stdout()).not.toMatch(/PRIVATE KEY/);
  });

  test('the webhook takes deliveries carrying the secret registry config prints, and webhook rotate and finish change it with an overlap', async () => {
    const dataDir = path.join(scratch, 'webhook-secret');
    const berth = serve(dataDir, '--no-demo');
    const url = await berth.listening;
    const printedSecret = async () => {
      const printed = await command(dataDir, 'registry', 'config', '--cert-out', path.join(scratch, 'webhook-bundle.pem'));
      return parse(printed.stdout).notifications.endpoints[0].headers.Authorization[0] as string;
    };
    let pushes = 0;
    const deliver = async (authorization?: string) => {
      const event = { ...JSON.parse(byFile('0003').body).events[0], id: `push-${++pushes}` };
      const answer = await fetch(`${url}/registry/v1/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ events: [event] }),
      });
      return answer.status;
    };
    const first = await printedSecret();
    expect([await deliver(), await deliver('Bearer guessed'), await deliver(first)]).toEqual([401, 401, 200]);

    // The registry logs its endpoint headers at info on start, so the config can go to a file only its owner reads.
    const out = path.join(scratch, 'webhook-config.yml');
    writeFileSync(out, 'an older config, readable by all', { mode: 0o644 });
    const written = await command(dataDir, 'registry', 'config', '--cert-out', path.join(scratch, 'webhook-bundle.pem'), '--out', out);
    expect(written).toMatchObject({ code: 0, stdout: `wrote the registry config to ${out} (mode 0600: it holds the webhook secret); start the registry with: docker-registry serve ${out}\n` });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(parse(readFileSync(out, 'utf8')).notifications.endpoints[0].headers.Authorization).toEqual([first]);

    const rotated = await command(dataDir, 'webhook', 'rotate');
    expect(rotated).toMatchObject({ code: 0, stdout: expect.stringMatching(/^made a new webhook secret/) });
    const second = await printedSecret();
    expect(second).not.toBe(first);
    expect(rotated.stdout).toContain(`Authorization: [${second}]`);
    expect([await deliver(first), await deliver(second)]).toEqual([200, 200]);

    expect(await command(dataDir, 'webhook', 'finish')).toMatchObject({ code: 0, stdout: expect.stringMatching(/previous webhook secret is no longer accepted/) });
    expect([await deliver(first), await deliver(second)]).toEqual([401, 200]);
    expect(berth.stdout()).not.toContain(second.slice('Bearer '.length));
  });

  test('registry config without --cert-out says so and writes nothing, in the project folder or anywhere', async () => {
    const dataDir = path.join(scratch, 'registry-config-no-cert');
    const result = await command(dataDir, 'registry', 'config');
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/required option '--cert-out <file>' not specified/);
    expect(existsSync(path.resolve(__dirname, '../../registry-token-certificates.pem'))).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });

  test('the control socket is private to the user running Berth and goes when Berth stops', async () => {
    const dataDir = path.join(scratch, 'socket');
    const socket = `${dataDir}.sock`;
    const berth = serve(dataDir);
    await berth.listening;
    const stats = statSync(socket);
    expect(stats.isSocket()).toBe(true);
    expect(stats.mode & 0o777).toBe(0o600);
    // root may connect to any socket, so as root another user tries.
    if (process.getuid?.() === 0) {
      const stranger = await runBerthToExit(['account', 'add', 'mallory', '--data-dir', dataDir], {}, { uid: 65534, gid: 65534 });
      expect(stranger).toMatchObject({ code: 1, stderr: `berth: the Berth server's control socket ${socket} belongs to another user: run the command as the user that runs Berth\n` });
    }
    berth.child.kill('SIGTERM');
    expect(await berth.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(socket)).toBe(false);
  });

  test('a command waits a few seconds for a data folder that another process holds, as a server does while it starts', async () => {
    const dataDir = path.join(scratch, 'held');
    mkdirSync(dataDir);
    const release = await lockfile.lock(dataDir, { stale: 20_000 });
    const added = runBerth(['account', 'add', 'erin', '--data-dir', dataDir]);
    started.push(added);
    await added.waitForOutput(/waiting for the Berth process that holds/, 'stderr');
    await release();
    expect(await added.exited).toEqual({ code: 0, signal: null });
    expect(added.stdout()).toMatch(/^created user account erin/);
  });

  test('a socket left by a killed process blocks neither a command nor the next start', async () => {
    const dataDir = path.join(scratch, 'stale');
    const socket = `${dataDir}.sock`;
    // A process killed while it listens leaves its socket file behind, with nobody listening on it.
    const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('listening'))`]);
    await once(holder.stdout!, 'data');
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    expect(statSync(socket).isSocket()).toBe(true);

    // With no server, the command opens the database itself.
    expect(await command(dataDir, 'account', 'add', 'carol')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^created user account carol/) });
    const berth = serve(dataDir);
    await berth.listening;
    expect(await command(dataDir, 'account', 'add', 'dave')).toMatchObject({ code: 0 });
    expect(berth.stdout()).toMatch(/"command":"account add"/);
  });
});

suite('the admin password', () => {
  test('a first start that fails (port taken) creates no admin; the next start prints its password; a later one says how to recover it', async () => {
    const dataDir = path.join(scratch, 'first-start');
    const generated = { BERTH_ADMIN_PASSWORD: '' };
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const failed = await runBerthToExit(['serve', '--port', String((blocker.address() as net.AddressInfo).port), '--data-dir', dataDir], generated);
      expect(failed.code).toBe(1);
      expect(failed.stdout).not.toMatch(/Created account/);
    } finally {
      blocker.close();
    }

    const first = runBerth(['serve', '--port', '0', '--data-dir', dataDir], generated);
    started.push(first);
    const url = await first.listening;
    const password = passwordIn(first.stdout(), 'admin')!;
    expect(password).toBeDefined();
    expect(await namespaceOf(url, 'admin', password)).toEqual({ status: 200, namespace: 'admin' });
    first.child.kill('SIGTERM');
    await first.exited;

    const again = runBerth(['serve', '--port', '0', '--data-dir', dataDir], generated);
    started.push(again);
    const againUrl = await again.listening;
    expect(again.stdout()).not.toMatch(/Created account/);
    expect(again.stdout()).toContain(`Lost it? npm run berth -- account passwd admin --data-dir ${dataDir} prints a new one, while Berth runs too.`);
    const reset = await command(dataDir, 'account', 'passwd', 'admin');
    expect(await namespaceOf(againUrl, 'admin', passwordIn(reset.stdout, 'admin')!)).toEqual({ status: 200, namespace: 'admin' });
    expect((await namespaceOf(againUrl, 'admin', password)).status).toBe(401);
  });
});
