import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../src/accounts/model.ts';
import { handleHash } from '../../src/accounts/store.ts';
import { pickHandle } from '../../src/accounts/registration.ts';
import type { PersonalDataHandler } from '../../src/context.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { GOOD_PASSWORD, mailTo, registerReader, tokenIn, uniqueEmail } from './helpers.ts';

const NEW_PASSWORD = 'granite lantern orchestra';

describe.each(dialects)('profile, e-mail, password, my data (%s)', (dialect) => {
  let app: TestApp;
  const erased: number[] = [];
  beforeAll(async () => {
    app = await startTestApp(dialect);
    // A stand-in for a feature that keeps personal data (comments will register the real one).
    const notes: PersonalDataHandler = {
      name: 'notes',
      export: async (_db, userId) => [{ userId, text: 'a note' }],
      erase: async (tx, userId) => {
        // Runs inside the deletion transaction: the account row is still there.
        const row = await tx.db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
        expect(row?.email).not.toBeNull();
        erased.push(userId);
      },
    };
    app.ctx.personalData.push(notes);
  });
  afterAll(() => app.close());

  test('display name and bio change; the name stays unique; the handle stays', async () => {
    const { client, user } = await registerReader(app);
    const taken = await registerReader(app);
    const res = await client.patch('/api/v1/me', { displayName: 'Renamed Reader', bio: '  Reads the foreign pages.  ' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ displayName: 'Renamed Reader', bio: 'Reads the foreign pages.', handle: user.handle });
    const clash = await client.patch('/api/v1/me', { displayName: taken.displayName.toLowerCase() });
    expect(clash.status).toBe(409);
    const long = await client.patch('/api/v1/me', { bio: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/500 characters/);
  });

  test('the public reader page and API show name, avatar, bio and joined date, and never an e-mail address', async () => {
    const { client, user, email } = await registerReader(app);
    await client.patch('/api/v1/me', { bio: 'Hello <b>there</b>' });
    const visitor = new TestClient(app.baseUrl);
    const page = await visitor.raw(`/readers/${user.handle}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(user.displayName);
    expect(html).toContain('Hello &lt;b>there&lt;/b>');
    expect(html).toContain(`/readers/${user.handle}/avatar.svg`);
    expect(html).toMatch(/Joined/);
    expect(html).not.toContain(email);
    const json = await visitor.get(`/api/v1/readers/${user.handle}`);
    expect(json.body.reader).toMatchObject({ handle: user.handle, displayName: user.displayName, bio: 'Hello <b>there</b>' });
    expect(JSON.stringify(json.body)).not.toContain(email);
    expect(JSON.stringify(json.body)).not.toMatch(/"email"/);
    // Another signed-in reader sees the same.
    const other = await registerReader(app);
    expect(await (await other.client.raw(`/readers/${user.handle}`, { headers: { accept: 'text/html' } })).text()).not.toContain(email);
    expect((await visitor.get('/api/v1/readers/nobody-here')).status).toBe(404);
  });

  test('the avatar is an SVG drawn here', async () => {
    const { user } = await registerReader(app, { displayName: 'Vera Zed' });
    const res = await new TestClient(app.baseUrl).raw(`/readers/${user.handle}/avatar.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = await res.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('>VZ</text>');
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  test('changing the e-mail address needs the current password and takes effect once the new address is confirmed', async () => {
    const { client, email } = await registerReader(app);
    const newEmail = uniqueEmail('moved');
    const wrong = await client.post('/api/v1/me/email', { email: newEmail, currentPassword: 'not my password' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('wrong_password');
    const res = await client.post('/api/v1/me/email', { email: newEmail.toUpperCase(), currentPassword: GOOD_PASSWORD });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ pendingEmail: newEmail });
    expect((await client.get('/api/v1/me')).body.user).toMatchObject({ email, pendingEmail: newEmail });
    const token = tokenIn(await mailTo(app, newEmail, /Confirm your new e-mail address/), '/verify-email');
    expect((await client.post('/api/v1/auth/verify-email', { token })).status).toBe(204);
    expect((await client.get('/api/v1/me')).body.user).toMatchObject({ email: newEmail, pendingEmail: null, emailVerified: true });
    expect((await new TestClient(app.baseUrl).post('/api/v1/auth/login', { email: newEmail, password: GOOD_PASSWORD })).status).toBe(200);
    expect((await new TestClient(app.baseUrl).post('/api/v1/auth/login', { email, password: GOOD_PASSWORD })).status).toBe(401);
  });

  test('moving to an address that has an account answers the same, tells its owner, and can never complete', async () => {
    const owner = await registerReader(app);
    const { client } = await registerReader(app);
    const res = await client.post('/api/v1/me/email', { email: owner.email, currentPassword: GOOD_PASSWORD });
    expect(res.status).toBe(202);
    const notice = await mailTo(app, owner.email, /tried to move an account/);
    expect(notice.text).not.toMatch(/token=/);
  });

  test('changing the password needs the current one and signs out every other session', async () => {
    const { client, email } = await registerReader(app);
    const other = new TestClient(app.baseUrl);
    await other.post('/api/v1/auth/login', { email, password: GOOD_PASSWORD });
    const wrong = await client.post('/api/v1/me/password', { currentPassword: 'not my password', newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(403);
    const weak = await client.post('/api/v1/me/password', { currentPassword: GOOD_PASSWORD, newPassword: 'password123' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('weak_password');
    expect((await client.post('/api/v1/me/password', { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    await mailTo(app, email, /password was changed/);
  });

  test('"Download my data" has my account, my sessions and every feature’s part, as a file', async () => {
    const { client, user, email } = await registerReader(app);
    await client.patch('/api/v1/me', { bio: 'My bio' });
    const res = await client.get('/api/v1/me/export');
    expect(res.status).toBe(200);
    expect(res.res.headers.get('content-disposition')).toBe(`attachment; filename="parley-data-${user.handle}.json"`);
    expect(res.body.account).toMatchObject({ handle: user.handle, email, bio: 'My bio', displayName: user.displayName });
    expect(res.body.sessions).toHaveLength(1);
    expect(res.body.notes).toEqual([{ userId: expect.any(Number), text: 'a note' }]);
    const page = await client.raw('/account/export');
    expect(page.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(((await page.json()) as any).account.email).toBe(email);
  });

  test('"Delete my account" removes personal data at once, signs out everywhere, and retires the handle', async () => {
    const { client, user, email, displayName } = await registerReader(app);
    const other = new TestClient(app.baseUrl);
    await other.post('/api/v1/auth/login', { email, password: GOOD_PASSWORD });
    const refused = await client.json('DELETE', '/api/v1/me', { password: 'not my password' });
    expect(refused.status).toBe(403);
    const res = await client.json('DELETE', '/api/v1/me', { password: GOOD_PASSWORD });
    expect(res.status).toBe(204);
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    expect((await other.get('/api/v1/me')).status).toBe(401);

    const row = await app.ctx.db.kysely.selectFrom('users').selectAll().where('id', '=', erased.at(-1)!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email: null, pending_email: null, password_hash: null, bio: '', display_name_key: null, display_name: 'Deleted reader' });
    expect(row.deleted_at).not.toBeNull();
    expect(row.handle).not.toBe(user.handle);
    const leftovers = await Promise.all([
      app.ctx.db.kysely.selectFrom('sessions').select('id').where('user_id', '=', row.id).execute(),
      app.ctx.db.kysely.selectFrom('account_tokens').select('id').where('user_id', '=', row.id).execute(),
    ]);
    expect(leftovers).toEqual([[], []]);
    // The account is gone from the outside…
    expect((await new TestClient(app.baseUrl).post('/api/v1/auth/login', { email, password: GOOD_PASSWORD })).status).toBe(401);
    expect((await new TestClient(app.baseUrl).get(`/api/v1/readers/${user.handle}`)).status).toBe(404);
    // …its handle is never handed out again, though its name and address are free.
    expect(await pickHandle(app.ctx.db.kysely, displayName)).not.toBe(user.handle);
    const retired = await app.ctx.db.kysely.selectFrom('retired_handles').select('handle_hash').execute();
    expect(retired.map((r) => r.handle_hash)).toContain(handleHash(user.handle));
    const again = await registerReader(app, { email, displayName });
    expect(again.user.handle).not.toBe(user.handle);
    expect(again.user.email).toBe(email);
  });
});
