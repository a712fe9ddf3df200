import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { mailTo, registerReader, tokenIn } from './helpers.ts';

// Issue 14, bug 5: signing out from the page shown after confirming the address sent the reader back
// to the used confirmation link ("This link did not work… already been used"). After signing out,
// the reader goes back to where they were, but never to a one-time link.

const html = (client: TestClient, path: string) => client.raw(path, { headers: { accept: 'text/html' } });
/** The hidden `next` field of the header's sign-out form, as a browser would submit it. */
const signOutNext = (page: string) => {
  const form = page.match(/<form method="post" action="\/signout"[\s\S]*?<\/form>/)?.[0] ?? '';
  return form.match(/name="next" value="([^"]*)"/)?.[1]?.replace(/&amp;/g, '&') ?? null;
};

describe.each(dialects)('signing out never returns to a one-time link (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(() => app.close());

  test('signing out from the page shown after confirming the address goes to the front page, which works', async () => {
    const { client, email } = await registerReader(app);
    const token = tokenIn(await mailTo(app, email, /Confirm your e-mail address/), '/verify-email');
    const confirmed = await html(client, `/verify-email?token=${encodeURIComponent(token)}`);
    const page = await confirmed.text();
    expect(page).toMatch(/Address confirmed/);
    const next = signOutNext(page);
    expect(next).toContain('/verify-email');

    const out = await client.form('/signout', { next: next! });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/');
    const landing = await html(client, out.headers.get('location')!);
    expect(landing.status).toBe(200);
    expect(await landing.text()).not.toMatch(/This link did not work|already been used/);
  });

  test.each(['/reset-password?token=t', '/embed/signed-in?state=abcdefghijklmnop', '/auth/oidc/default/callback?code=c&state=s', '/magic?token=t'])(
    'signing out from %s goes to the front page',
    async (next) => {
      const { client } = await registerReader(app);
      const out = await client.form('/signout', { next });
      expect(out.status).toBe(303);
      expect(out.headers.get('location')).toBe('/');
    },
  );

  test('signing out from an ordinary page comes back to it', async () => {
    const { client } = await registerReader(app);
    const out = await client.form('/signout', { next: '/articles/some-story?page=2#comment-3' });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/articles/some-story?page=2#comment-3');
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });
});
