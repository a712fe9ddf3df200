import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../src/accounts/model.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { linkIn } from '../helpers/mail.ts';
import { cookieLine, GOOD_PASSWORD, mailTo, registerReader, tokenIn, uniqueEmail, uniqueName } from './helpers.ts';

// The account pages as a browser without JavaScript uses them: forms that POST and redirect.

const html = (client: TestClient, path: string) => client.raw(path, { headers: { accept: 'text/html' } });

describe.each(dialects)('account pages without JavaScript (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(() => app.close());

  test('registering with problems shows each next to its field, keeps what was typed except the password', async () => {
    const taken = await registerReader(app);
    const client = new TestClient(app.baseUrl);
    const email = uniqueEmail('keep');
    const res = await client.form('/register', { email, displayName: taken.displayName.toUpperCase(), password: 'password123' });
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(page).toContain(`value="${email}"`);
    expect(page).toContain(`value="${taken.displayName.toUpperCase()}"`);
    expect(page).not.toContain('password123');
    expect(page).toMatch(/is already taken/);
    expect(page).toMatch(/common passwords/);
    expect(page).toMatch(/<input[^>]*id="register-displayName"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*register-displayName-error/);
    expect(page).toMatch(/id="register-displayName-error"/);
    expect(page).toMatch(/<input[^>]*id="register-password"[^>]*aria-invalid="true"/);
    expect(page).toMatch(/<input[^>]*id="register-email"(?![^>]*aria-invalid)[^>]*>/);
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  test('registering signs in and returns to where the reader was, and the confirmation link offers the way back there', async () => {
    const client = new TestClient(app.baseUrl);
    const name = uniqueName('Page');
    const email = uniqueEmail();
    const res = await client.form('/register', { email, displayName: name, password: GOOD_PASSWORD, next: '/readers/x?y=1' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/readers/x?y=1');
    const link = linkIn(await mailTo(app, email, /Confirm your e-mail address/), '/verify-email');
    expect(link.searchParams.get('next')).toBe('/readers/x?y=1');
    const confirmed = (await (await html(client, `${link.pathname}${link.search}`)).text()).replace(/&amp;/g, '&');
    expect(confirmed).toContain('Address confirmed');
    expect(confirmed).toMatch(/<a class="button button--primary" href="\/readers\/x\?y=1">Continue where you were<\/a>/);
    // A next= that leaves the site is not followed.
    const other = await registerReader(app);
    const otherLink = linkIn(await mailTo(app, other.email, /Confirm your e-mail address/), '/verify-email');
    expect(otherLink.searchParams.get('next')).toBeNull();
    const evil = await (await html(other.client, `/verify-email?token=${encodeURIComponent(otherLink.searchParams.get('token')!)}&next=${encodeURIComponent('//evil.example/')}`)).text();
    expect(evil).toContain('Address confirmed');
    expect(evil).not.toContain('Continue where you were');
    expect(cookieLine(res, SESSION_COOKIE)).toMatch(/HttpOnly/);
    const account = await html(client, '/account');
    const page = await account.text();
    expect(page).toContain(name);
    expect(page).toMatch(/<meta name="parley-viewer" content="page-/);
  });

  test('sign-in: a wrong password keeps the address; next= only goes to this site; "keep me signed in"', async () => {
    const { email } = await registerReader(app);
    const client = new TestClient(app.baseUrl);
    const wrong = await client.form('/signin', { email, password: 'not my password' });
    expect(wrong.status).toBe(401);
    const page = await wrong.text();
    expect(page).toMatch(/not right/);
    expect(page).toContain(`value="${email}"`);
    expect(page).not.toContain('not my password');

    const evil = await new TestClient(app.baseUrl).form('/signin', { email, password: GOOD_PASSWORD, next: '//evil.example/x' });
    expect(evil.status).toBe(303);
    expect(evil.headers.get('location')).toBe('/');
    expect(cookieLine(evil, SESSION_COOKIE)).not.toMatch(/Expires/);

    const kept = await new TestClient(app.baseUrl).form('/signin', { email, password: GOOD_PASSWORD, next: '/account', remember: '1' });
    expect(kept.headers.get('location')).toBe('/account');
    expect(cookieLine(kept, SESSION_COOKIE)).toMatch(/Expires=/);
  });

  test('the sign-in page carries next= into its form and links', async () => {
    const page = await (await html(new TestClient(app.baseUrl), '/signin?next=%2Farticles%2Fsome-story')).text();
    expect(page).toContain('name="next" value="/articles/some-story"');
    expect(page).toContain('href="/register?next=%2Farticles%2Fsome-story"');
  });

  test('sign out from the header form', async () => {
    const { client } = await registerReader(app);
    const res = await client.form('/signout', { next: '/readers/x' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/readers/x');
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    expect((await html(client, '/account')).headers.get('location')).toBe('/signin?next=%2Faccount');
  });

  test('the account page: profile errors come back into the form; deleting needs the box ticked', async () => {
    const { client } = await registerReader(app);
    const bad = await client.form('/account/profile', { displayName: 'X', bio: 'My typed bio' });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toMatch(/at least 2 characters/);
    expect(page).toContain('value="X"');
    expect(page).toContain('My typed bio</textarea>');

    const ok = await client.form('/account/profile', { displayName: uniqueName('Saved'), bio: 'Fine' });
    expect(ok.headers.get('location')).toBe('/account?notice=profile');
    expect(await (await html(client, '/account?notice=profile')).text()).toMatch(/Your profile is saved/);

    const unticked = await client.form('/account/delete', { password: GOOD_PASSWORD });
    expect(unticked.status).toBe(400);
    expect(await unticked.text()).toMatch(/Tick the box/);
    const deleted = await client.form('/account/delete', { password: GOOD_PASSWORD, confirm: '1' });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/account/deleted');
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  test('sessions: revoke one from the page, and sign out everywhere', async () => {
    const { client, email } = await registerReader(app);
    const other = new TestClient(app.baseUrl);
    await other.form('/signin', { email, password: GOOD_PASSWORD });
    const page = await (await html(client, '/account')).text();
    expect(page).toMatch(/this device/);
    const ids = [...page.matchAll(/action="\/account\/sessions\/(\d+)\/revoke"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    const mine = (await client.get('/api/v1/me/sessions')).body.sessions.find((s: any) => s.current).id;
    const theirs = ids.find((id) => Number(id) !== mine)!;
    expect((await client.form(`/account/sessions/${theirs}/revoke`, {})).headers.get('location')).toBe('/account?notice=session-revoked');
    expect((await other.get('/api/v1/me')).status).toBe(401);
    const everywhere = await client.form('/account/signout-everywhere', {});
    expect(everywhere.headers.get('location')).toBe('/signin?notice=signed-out-everywhere');
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });

  test('the revoke form says "no such session" (404) for a session that is not mine, and signs nothing out', async () => {
    const { client } = await registerReader(app);
    const stranger = await registerReader(app);
    const theirs = (await stranger.client.get('/api/v1/me/sessions')).body.sessions[0].id;
    for (const id of [theirs, 999_999_999]) {
      const res = await client.form(`/account/sessions/${id}/revoke`, {});
      expect(res.status).toBe(404);
      expect(res.headers.get('location')).toBeNull();
      const page = await res.text();
      expect(page).toMatch(/<div class="form-problems" role="alert" id="sessions-problems"[^>]*><p>No such session/);
      expect(page).not.toMatch(/That session is signed out/);
    }
    expect((await stranger.client.get('/api/v1/me')).status).toBe(200);
    expect((await client.get('/api/v1/me')).status).toBe(200);
  });

  test('forgot and reset password by the pages', async () => {
    const { email } = await registerReader(app);
    const client = new TestClient(app.baseUrl);
    const known = await (await client.form('/forgot-password', { email })).text();
    const unknown = await (await client.form('/forgot-password', { email: uniqueEmail('nobody') })).text();
    const strip = (page: string) => page.replace(/value="[^"]*"/g, '');
    expect(strip(unknown)).toBe(strip(known));
    expect(known).toMatch(/If an account uses that address/);
    const token = tokenIn(await mailTo(app, email, /Reset your/), '/reset-password');
    const weak = await client.form('/reset-password', { token, password: 'short' });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toMatch(/at least 10 characters/);
    const done = await client.form('/reset-password', { token, password: 'granite lantern orchestra' });
    expect(done.headers.get('location')).toBe('/account?notice=password-reset');
    expect((await client.get('/api/v1/me')).status).toBe(200);
  });

  test('a wrong verification link says so in plain words', async () => {
    const res = await html(new TestClient(app.baseUrl), '/verify-email?token=nope');
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/This link is not valid/);
  });

  test('GET /account/nav gives the header for whoever is signed in', async () => {
    const anonymous = await new TestClient(app.baseUrl).get('/account/nav?path=/articles/x');
    expect(anonymous.body.user).toBeNull();
    expect(anonymous.body.html).toContain('href="/signin?next=%2Farticles%2Fx"');
    const { client, user } = await registerReader(app);
    const signedIn = await client.get('/account/nav?path=/articles/x');
    expect(signedIn.body.user).toEqual({ handle: user.handle, displayName: user.displayName, role: 'reader', emailVerified: false });
    expect(signedIn.body.html).toContain(user.displayName);
    expect(signedIn.body.html).toContain('name="_csrf"');
    expect(signedIn.res.headers.get('cache-control')).toBe('no-store');
  });

  test('the header says whether the address is confirmed, and the page after confirming already says it is (for the other tabs)', async () => {
    const { client, email } = await registerReader(app);
    const before = await (await html(client, '/account')).text();
    expect(before).toMatch(/<div class="account-nav" data-signed-in="true" data-email-verified="false">/);
    const token = tokenIn(await mailTo(app, email, /Confirm your e-mail address/), '/verify-email');
    const confirmed = await (await html(client, `/verify-email?token=${encodeURIComponent(token)}`)).text();
    expect(confirmed).toMatch(/Address confirmed/);
    expect(confirmed).toMatch(/<div class="account-nav" data-signed-in="true" data-email-verified="true">/);
    const nav = await client.get('/account/nav?path=/articles/x');
    expect(nav.body.user.emailVerified).toBe(true);
    expect(nav.body.html).toContain('data-email-verified="true"');
  });
});
