import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client';
import { MAX_EVENTS } from '../../src/ingest/envelope';
import { buildBerth, runBerth } from '../support/berth-process';
import { suite } from '../support/drivers';
import { byFile, CAPTURED_SECRET } from '../support/registry-events';
import { migratedDataDir } from '../support/templates';

suite('bounded log lines', () => {
  beforeAll(() => buildBerth());

  test('a webhook write the database refuses is logged in one line of bounded size, without the events it carried', async () => {
    // A database that refuses every new event: the write fails inside PostgreSQL, after drizzle has the statement and its parameters.
    const dataDir = await migratedDataDir();
    const database = await openDatabase({ dataDir });
    await database.db.execute(sql`alter table registry_events add constraint refuses_every_event check (false) not valid`);
    await database.close();
    const berth = runBerth(['serve', '--port', '0', '--data-dir', dataDir, '--no-demo'], { BERTH_WEBHOOK_SECRET: CAPTURED_SECRET, LOG_LEVEL: 'info' });
    try {
      const url = await berth.listening;
      const push = JSON.parse(byFile('0003').body).events[0];
      const marker = `payload-${randomUUID()}`;
      const events = Array.from({ length: MAX_EVENTS }, () => ({ ...push, id: randomUUID(), request: { ...push.request, useragent: `${marker} ${'x'.repeat(2_000)}` } }));
      const response = await fetch(`${url}/registry/v1/notifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CAPTURED_SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      expect(response.status).toBe(500);
      await berth.waitForOutput(/"msg":"request failed"/);
      const failure = berth.stdout().split('\n').find((line) => line.includes('"msg":"request failed"'))!;
      expect(JSON.parse(failure).err).toMatchObject({ message: expect.stringContaining('params: (hidden') });
      expect(failure).toContain('refuses_every_event');
      for (const line of berth.stdout().split('\n')) expect(line.length).toBeLessThan(8_000);
      expect(berth.stdout()).not.toContain(marker);
      expect(berth.stdout()).not.toContain(events[0].id);
    } finally {
      berth.child.kill('SIGTERM');
      await berth.exited;
    }
  });
});
