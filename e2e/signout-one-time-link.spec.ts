import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { linkIn, waitFor, outboxMails } from '../test/helpers/mail.ts';

// Issue 14, bug 5: signing out from the page shown after confirming the address must not send the
// reader back to the used confirmation link ("This link did not work… already been used").

const dataDir = process.env.PARLEY_E2E_DATA_DIR!;
const PASSWORD = 'purple elephant marmalade';
const unique = () => randomBytes(3).toString('hex');

function verificationLink(to: string): Promise<string> {
  return waitFor(() => outboxMails(dataDir).filter((m) => m.to === to && /Confirm your e-mail address/.test(m.subject)).at(-1), `mail to ${to}`, 10_000).then((mail) => {
    const url = linkIn(mail, '/verify-email');
    return `${url.pathname}${url.search}`;
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`signing out after confirming the address lands on the front page (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    // Registering, then waiting for the confirmation mail's job: slow on a busy machine.
    test.slow();
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const email = `signout-verify-${unique()}@example.com`;
    await page.goto('/register');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Display name').fill(`Signout Verify ${unique()}`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create my account' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();

    await page.goto(await verificationLink(email));
    await expect(page.getByRole('heading', { name: 'Address confirmed' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();

    await expect(page).toHaveURL((url) => url.pathname === '/' && url.search === '', { timeout: 15_000 });
    await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByText(/This link did not work|already been used/)).toHaveCount(0);
    await context.close();
  });
}
