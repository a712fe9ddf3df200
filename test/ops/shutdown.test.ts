import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dialects, schemaDatabaseUrl } from '../helpers/app.ts';
import { startServe } from './cli.ts';
import { SseReader } from '../comments/sse.ts';

// SIGTERM ends the real `parley serve` process within SHUTDOWN_TIMEOUT_S whatever its clients do: a
// client that sent its headers and part of a body used to keep it alive for good.

const pgUrl = process.env.PARLEY_TEST_DATABASE_URL?.trim() || null;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function databaseEnv(dialect: string): Promise<Record<string, string>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-shutdown-'));
  dirs.push(dataDir);
  if (dialect === 'sqlite') return { DATA_DIR: dataDir };
  // The CLI works in the schema its URL names; the suite's teardown drops it with the others.
  const { url } = await schemaDatabaseUrl(pgUrl!);
  return { DATA_DIR: dataDir, DATABASE_URL: url };
}

function slowBodyClient(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      // Headers and 10 of the 100 promised bytes; the rest never comes.
      socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":"');
      resolve(socket);
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

describe.each(dialects)('shutdown on %s', (dialect) => {
  it('exits within SHUTDOWN_TIMEOUT_S with a slow-body client, an idle keep-alive connection and a live stream open', async () => {
    const server = await startServe({ ...(await databaseEnv(dialect)), SHUTDOWN_TIMEOUT_S: '3', PARLEY_SEED_EXAMPLE: '1' });
    const base = `http://127.0.0.1:${server.port}`;
    const { articles } = (await (await fetch(`${base}/api/v1/articles`)).json()) as { articles: { slug: string }[] };
    const live = await SseReader.open(`${base}/api/v1/articles/${articles[0]!.slug}/live`);
    expect(live.status).toBe(200);
    const slow = await slowBodyClient(server.port);
    const slowClosed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
    // An idle keep-alive connection, after one answered request.
    const idle = await fetch(`http://127.0.0.1:${server.port}/livez`, { headers: { connection: 'keep-alive' } });
    expect(idle.status).toBe(200);
    await idle.text();
    // The server is really holding the slow request: it answers others meanwhile.
    expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(200);

    const sentAt = performance.now();
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    const seconds = (exit.at - sentAt) / 1000;
    expect(exit.code, server.output()).toBe(0);
    expect(seconds).toBeLessThan(3 + 1);
    await slowClosed;
    live.close();
    expect(server.output()).toContain('shutting down');
  }, 60_000);
});
