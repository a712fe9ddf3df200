import { presentAccount } from '../accounts/presenter.ts';
import { createSession } from '../accounts/sessions.ts';
import type { AppContext } from '../context.ts';
import type { Site } from '../sites/model.ts';
import { linkExternalAccount, siteProvider } from './link.ts';
import { appLog, SsoRefused, type SsoLog } from './refusal.ts';
import { verifySiteToken } from './site-token.ts';

/**
 * The embed's single sign-on: a publisher's signed token becomes a Parley bearer session for the
 * reader it names (their linked account, created on first use). Refusals are logged with the site
 * and the reason, never with the token or the reader's address.
 */
export async function signInWithSiteToken(
  ctx: AppContext,
  site: Site,
  jwt: string,
  userAgent: string,
  { now = new Date(), log = appLog(ctx) }: { now?: Date; log?: SsoLog } = {},
) {
  try {
    const claims = await verifySiteToken(site, jwt, now);
    const { account, created } = await linkExternalAccount(
      ctx,
      {
        site,
        provider: siteProvider(site),
        subject: claims.subject,
        email: claims.email,
        emailVerified: true,
        name: claims.name,
        claims: claims.payload,
        spend: claims.tokenId ? { tokenId: claims.tokenId, until: claims.acceptableUntil } : null,
      },
      { now, log },
    );
    const session = await createSession(ctx.db.kysely, { id: account.id, role: account.role }, { persistent: true, userAgent });
    if (created) log.info({ site: site.key, userId: account.id }, 'single sign-on: account created for a publisher reader');
    return { token: session.token, expiresAt: session.expiresAt, user: presentAccount(account) };
  } catch (error) {
    if (error instanceof SsoRefused) log.warn({ site: site.key, code: error.code, reason: error.message }, 'single sign-on token refused');
    throw error;
  }
}
