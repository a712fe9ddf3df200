import type { PersonalDataHandler } from '../context.ts';

/**
 * The publishers' accounts linked to a reader's, in "Download my data"; "Delete my account" removes the
 * links, so a later sign-in from the publisher starts a new account instead of finding the deleted one.
 */
export const ssoPersonalData: PersonalDataHandler = {
  name: 'singleSignOn',
  async export(db, userId) {
    const links = await db
      .selectFrom('sso_identities as i')
      .innerJoin('sites as s', 's.id', 'i.site_id')
      .select(['i.provider', 'i.subject', 'i.created_at', 'i.last_used_at', 's.key as site_key', 's.name as site_name'])
      .where('i.user_id', '=', userId)
      .orderBy('i.id')
      .execute();
    return links.map((l) => ({
      site: { key: l.site_key, name: l.site_name },
      via: l.provider.startsWith('oidc:') ? { openIdIssuer: l.provider.slice('oidc:'.length) } : 'signed token',
      publisherAccountId: l.subject,
      linkedAt: l.created_at,
      lastUsedAt: l.last_used_at,
    }));
  },
  async erase(tx, userId) {
    await tx.db.deleteFrom('sso_identities').where('user_id', '=', userId).execute();
  },
};
