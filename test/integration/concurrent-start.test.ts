import { basic } from '../support/harness';
import { buildBerth, runBerth, type BerthProcess } from '../support/berth-process';
import { suite } from '../support/drivers';
import { until } from '../support/poll';
import { createTestDatabase, dropTestDatabase } from '../support/templates';

/**
 * Processes behind a load balancer, or replicas of one deployment, start at
 * the same moment on a database nobody has used yet: each migrates, makes the
 * keys and the admin account, and loads the demo, and none may fail for the
 * other having done it first.
 */
suite('start-up of several processes on one empty database', () => {
  beforeAll(() => buildBerth());

  const ready = async (url: string) => (await fetch(`${url}/readyz`)).status === 200;
  const adminSignsIn = async (url: string) => (await fetch(`${url}/registry/v1/namespace`, { headers: { authorization: basic('admin', 'admin-password') } })).status === 200;

  test('two processes started at once both become ready, ten times over, and the one admin account signs in through either', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const database = await createTestDatabase({ empty: true });
      const started: BerthProcess[] = [];
      try {
        for (let i = 0; i < 2; i++) started.push(runBerth(['serve', '--port', '0', '--demo'], { DATABASE_URL: database.url, BERTH_WEBHOOK_SECRET: 'unused-here' }));
        const urls = await Promise.all(started.map((berth) => berth.listening));
        for (const url of urls) expect(await until(() => ready(url))).toBe(true);
        for (const url of urls) expect(await adminSignsIn(url)).toBe(true);
        // Both still running: neither exited after answering ready.
        expect(started.map((berth) => berth.child.exitCode)).toEqual([null, null]);
        const demo = await (await fetch(`${urls[0]}/registry/v1/repositories/public`)).json();
        expect((demo as { data: unknown[] }).data.length).toBeGreaterThan(0);
      } finally {
        for (const berth of started) {
          berth.child.kill('SIGKILL');
          await berth.exited;
        }
        await dropTestDatabase(database.name);
      }
    }
  });
});
