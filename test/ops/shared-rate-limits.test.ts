import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RunningApp } from '../../src/app.ts';
import { LIMITS } from '../../src/accounts/limits.ts';
import { loadConfig } from '../../src/config.ts';
import { testSchemaName, TEST_SERVER_SHEDDING } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { GOOD_PASSWORD, uniqueName } from '../accounts/helpers.ts';

// Two nodes on one PostgreSQL count against one limit: N nodes must not allow N times the attempts.

const pgUrl = process.env.PARLEY_TEST_DATABASE_URL?.trim() || null;

describe.runIf(pgUrl)('rate limits shared by the nodes of one PostgreSQL', () => {
  const schema = testSchemaName('t');
  const nodes: { app: RunningApp; baseUrl: string; dataDir: string }[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-limits-'));
      const config = loadConfig({ ...TEST_SERVER_SHEDDING, DATA_DIR: dataDir, LOG_LEVEL: 'silent', PARLEY_SEED_EXAMPLE: '0', PORT: '0', PUBLIC_URL: 'http://parley.test', DATABASE_URL: pgUrl! });
      const app = await createApp(config, { pgSchema: schema });
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      nodes.push({ app, baseUrl: `http://127.0.0.1:${(app.server.server.address() as { port: number }).port}`, dataDir });
    }
  }, 60_000);

  afterAll(async () => {
    for (const node of nodes) {
      await node.app.close();
      fs.rmSync(node.dataDir, { recursive: true, force: true });
    }
  });

  it('refuses the attempt past the limit whichever node it reaches, and keeps separate limits apart', async () => {
    const clients = nodes.map((n) => new TestClient(n.baseUrl));
    const statuses: number[] = [];
    const max = LIMITS.register.perIp.max;
    for (let i = 0; i < max; i++) {
      // Alternating between the nodes, as a load balancer would.
      const res = await clients[i % 2]!.post('/api/v1/auth/register', { email: 'bad', password: GOOD_PASSWORD, displayName: uniqueName() });
      statuses.push(res.status);
    }
    expect(statuses.every((s) => s === 400)).toBe(true);
    for (const client of clients) {
      const refused = await client.post('/api/v1/auth/register', { email: 'bad', password: GOOD_PASSWORD, displayName: uniqueName() });
      expect(refused.status).toBe(429);
      expect(Number(refused.res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Sign-in has its own counter: registering to the limit used none of it.
    const signIn = await clients[0]!.post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'wrong password here' });
    expect(signIn.status).not.toBe(429);
  }, 60_000);
});
