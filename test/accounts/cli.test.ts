import { spawnSync } from 'node:child_process';
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
const parley = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, DATA_DIR: dataDir, PARLEY_SEED_EXAMPLE: '0', DATABASE_URL: '' }, input, encoding: 'utf8', timeout: 30_000 });

describe('parley user', () => {
  test('create --password-stdin makes a verified account with the role', async () => {
    const res = parley(['user', 'create', '--email', 'Editor@Example.com', '--name', 'The Editor', '--role', 'admin', '--password-stdin'], `${GOOD_PASSWORD}\n`);
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
  });

  test('role changes the role; an unknown address is exit 1', () => {
    const res = parley(['user', 'role', 'editor@example.com', 'moderator']);
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout).role).toBe('moderator');
    const missing = parley(['user', 'role', 'nobody@example.com', 'admin']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no account has the address nobody@example.com/);
  });

  test('refuses a taken address and a weak password with exit 1', () => {
    const taken = parley(['user', 'create', '--email', 'editor@example.com', '--name', 'Someone Else', '--password-stdin'], GOOD_PASSWORD);
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(/already exists/);
    const weak = parley(['user', 'create', '--email', 'new@example.com', '--name', 'New Person', '--password-stdin'], 'password123');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/common passwords/);
  });

  test('bad usage is exit 2: a wrong role, missing fields, no terminal and no --password-stdin', () => {
    const role = parley(['user', 'role', 'editor@example.com', 'emperor']);
    expect(role.status).toBe(2);
    expect(role.stderr).toMatch(/ROLE must be one of reader, staff, moderator, admin/);
    expect(parley(['user', 'create', '--email', 'a@example.com']).status).toBe(2);
    const noTty = parley(['user', 'create', '--email', 'a@example.com', '--name', 'Ann Tty'], '');
    expect(noTty.status).toBe(2);
    expect(noTty.stderr).toMatch(/--password-stdin/);
  });
});
