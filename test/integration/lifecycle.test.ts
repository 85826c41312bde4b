import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildBerth, runBerth, runBerthToExit, type BerthProcess } from '../support/berth-process';
import { suite } from '../support/drivers';
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
}, 120_000);

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
const DEMO_PUBLIC = { data: { repositories: { nodes: [{ fullName: 'admin/nginx' }, { fullName: 'library/registry' }] } } };

/** Resolves when a new connection to `url` is refused, polling for at most 5 s. */
async function refusesConnections(url: string): Promise<boolean> {
  const { port } = new URL(url);
  for (let attempt = 0; attempt < 50; attempt++) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
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
    expect(await refusesConnections(url)).toBe(true);

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
    const migrate = await runBerthToExit(['migrate', '--data-dir', dataDir]);
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toMatch(/is in use by another Berth process/);
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
