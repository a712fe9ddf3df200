import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { closeContext, openContext } from '../../src/app.ts';
import { authenticate } from '../../src/accounts/credentials.ts';
import { GOOD_PASSWORD } from './helpers.ts';

// The `parley user` commands, run as a person runs them: node bin/parley.js with DATA_DIR set.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'parley.js');
function parley(args: string[], input = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, DATA_DIR: dataDir, PARLEY_SEED_EXAMPLE: '0', DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}
// Each run starts Node and compiles the TypeScript sources: slow on a busy machine.
const SLOW = 120_000;

describe('parley user', () => {
  test('create --password-stdin makes a verified account with the role', async () => {
    const res = await parley(['user', 'create', '--email', 'Editor@Example.com', '--name', 'The Editor', '--role', 'admin', '--password-stdin'], `${GOOD_PASSWORD}\n`);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ email: 'editor@example.com', handle: 'the-editor', role: 'admin' });
    const ctx = await openContext(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    try {
      const account = await authenticate(ctx, { email: 'editor@example.com', password: GOOD_PASSWORD });
      expect(account).toMatchObject({ role: 'admin', emailVerified: true });
    } finally {
      await closeContext(ctx);
    }
  }, SLOW);

  test('role changes the role; an unknown address or a taken one is exit 1', async () => {
    const [res, missing, taken] = await Promise.all([
      parley(['user', 'role', 'editor@example.com', 'moderator']),
      parley(['user', 'role', 'nobody@example.com', 'admin']),
      parley(['user', 'create', '--email', 'editor@example.com', '--name', 'Someone Else', '--password-stdin'], GOOD_PASSWORD),
    ]);
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout).role).toBe('moderator');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no account has the address nobody@example.com/);
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(/already exists/);
  }, SLOW);

  test('bad usage is exit 2: a wrong role, no terminal and no --password-stdin', async () => {
    const [role, noTty] = await Promise.all([
      parley(['user', 'role', 'editor@example.com', 'emperor']),
      parley(['user', 'create', '--email', 'a@example.com', '--name', 'Ann Tty']),
    ]);
    expect(role.status).toBe(2);
    expect(role.stderr).toMatch(/ROLE must be one of reader, staff, moderator, admin/);
    expect(noTty.status).toBe(2);
    expect(noTty.stderr).toMatch(/--password-stdin/);
  }, SLOW);
});
