// Issue 12: in a burst of new connections while the event loop is busy, Node's default listen backlog
// (511) overflowed, and an overflowed connection waits for the client to retry its handshake (1 s, then
// 3 s): shed requests were answered in seconds as clients saw them though the server took microseconds.
// `parley serve` asks for LISTEN_BACKLOG (4096); the kernel shows what the socket got (`ss`, Send-Q).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from './cli.ts';

/** The backlog of the socket listening on this port, as the kernel keeps it (Linux's `ss`). */
function backlogOf(port: number): number {
  const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim().split('\n')[0] ?? '';
  // State, Recv-Q (connections waiting now), Send-Q (the backlog), addresses.
  return Number(line.split(/\s+/)[2]);
}

describe('the listen backlog of parley serve', () => {
  const dirs: string[] = [];
  const servers: ServeProcess[] = [];
  afterAll(async () => {
    for (const server of servers) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  const serve = async (env: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-backlog-'));
    dirs.push(dir);
    const server = await startServe({ DATA_DIR: dir, ...env });
    servers.push(server);
    return server;
  };

  it('is 4096, as far as net.core.somaxconn allows, or LISTEN_BACKLOG', async () => {
    const somaxconn = Number(fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
    const plain = await serve({});
    expect(backlogOf(plain.port)).toBe(Math.min(4096, somaxconn));
    const told = await serve({ LISTEN_BACKLOG: '700' });
    expect(backlogOf(told.port)).toBe(Math.min(700, somaxconn));
  }, 120_000);
});
