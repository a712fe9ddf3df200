import type { Kysely } from 'kysely';
import type { Role } from '../accounts/model.ts';
import { applyRoleChange } from '../accounts/profile.ts';
import { pickHandle } from '../accounts/registration.ts';
import { DISPLAY_NAME_MAX, displayNameKey } from '../accounts/rules.ts';
import { displayNameTaken, findAccountByEmail, findAccountById, type Account } from '../accounts/store.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { runCommand, type Tx } from '../events/command.ts';
import type { Site } from '../sites/model.ts';
import { appLog, REFUSALS, type SsoLog } from './refusal.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';

// A publisher's account becomes a Parley account the first time it signs in, and the same one ever
// after: the link is (provider, subject), never the e-mail address. Matching by address would let a
// publisher (or anyone who controls one) take over the account of a Parley reader with that address.

export interface ExternalIdentity {
  site: Site;
  /** `site:<id>` for the site's signed tokens, `oidc:<issuer>` for an OpenID provider. */
  provider: string;
  subject: string;
  email: string | null;
  /** The publisher vouches for the address (its signed token, or the provider's `email_verified`). */
  emailVerified: boolean;
  /** Already checked with checkDisplayName. */
  name: string;
  /** Everything the publisher said, for the role claim. */
  claims: Record<string, unknown>;
  /** A signed token's id, spent in the same transaction as the sign-in. */
  spend?: { tokenId: string; until: Date } | null;
}

export const siteProvider = (site: Pick<Site, 'id'>) => `site:${site.id}`;
export const oidcProvider = (issuer: string) => `oidc:${issuer}`;

const RANK: Role[] = ['reader', 'staff', 'moderator'];

/**
 * The role the publisher gives the reader, when the site maps a claim to roles (off by default: null).
 * The claim may hold one value or a list; the highest mapped role wins, and no mapped value means reader.
 */
export function publisherRole(site: Site, claims: Record<string, unknown>): Role | null {
  const mapping = site.sso.roles;
  if (!mapping?.claim) return null;
  const raw = claims[mapping.claim];
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  let best: Role = 'reader';
  for (const value of values) {
    if (typeof value !== 'string' || !Object.hasOwn(mapping.map, value)) continue;
    const role = mapping.map[value]!;
    if (RANK.indexOf(role) > RANK.indexOf(best)) best = role;
  }
  return best;
}

/** The name as given when it is free, else the first of "Name 2", "Name 3"… (shortened to fit) that is. */
export async function uniqueDisplayName(db: Kysely<Database>, name: string, exceptUserId?: number): Promise<string> {
  if (!(await displayNameTaken(db, displayNameKey(name), exceptUserId))) return name;
  for (let n = 2; ; n++) {
    const suffix = n <= 50 ? ` ${n}` : ` ${Math.floor(Math.random() * 1e9)}`;
    const base = [...name].slice(0, DISPLAY_NAME_MAX - suffix.length).join('').trimEnd();
    const candidate = `${base}${suffix}`;
    if (!(await displayNameTaken(db, displayNameKey(candidate), exceptUserId))) return candidate;
  }
}

/** A name made unique from the publisher's keeps its number until the publisher's name changes. */
function isNameOrNumbered(current: string, name: string): boolean {
  if (displayNameKey(current) === displayNameKey(name)) return true;
  const numbered = /^(.*) (\d+)$/.exec(current);
  if (!numbered) return false;
  const base = [...name].slice(0, DISPLAY_NAME_MAX - numbered[2]!.length - 1).join('').trimEnd();
  return displayNameKey(numbered[1]!) === displayNameKey(base);
}

async function spendTokenId(tx: Tx, site: Site, spend: { tokenId: string; until: Date }, now: Date): Promise<void> {
  // Spent ids are kept only while their token could still be accepted; sweeping here keeps the table small.
  await tx.db.deleteFrom('sso_used_tokens').where('expires_at', '<', now.toISOString()).execute();
  const inserted = await tx.db
    .insertInto('sso_used_tokens')
    .values({ site_id: site.id, jti: spend.tokenId, expires_at: spend.until.toISOString() })
    .onConflict((oc) => oc.columns(['site_id', 'jti']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) throw REFUSALS.replayed();
}

async function updateLinkedAccount(tx: Tx, account: Account, identity: ExternalIdentity, role: Role | null, now: Date): Promise<void> {
  if (!isNameOrNumbered(account.displayName, identity.name)) {
    const name = await uniqueDisplayName(tx.db, identity.name, account.id);
    await tx.db
      .updateTable('users')
      .set({ display_name: name, display_name_key: displayNameKey(name), updated_at: now.toISOString() })
      .where('id', '=', account.id)
      .execute();
    tx.emit({ type: 'account.profile_updated', stream: `user:${account.id}`, actorId: account.id, payload: { userId: account.id } });
  }
  // The publisher never lowers (or changes) an admin: admins are made on Parley only.
  if (role !== null && account.role !== 'admin' && account.role !== role) {
    await applyRoleChange(tx, account, role, null, `Role given by ${identity.site.name} (single sign-on)`, now);
  }
}

async function createLinkedAccount(log: SsoLog, tx: Tx, identity: ExternalIdentity, role: Role | null, now: Date): Promise<number> {
  const at = now.toISOString();
  let email = identity.email;
  if (email && (await findAccountByEmail(tx.db, email))) {
    // Never attach to the account that owns the address: the new account simply goes without it.
    log.info({ site: identity.site.key, provider: identity.provider.split(':')[0] }, 'single sign-on: the address belongs to another account; the linked account was created without it');
    email = null;
  }
  const name = await uniqueDisplayName(tx.db, identity.name);
  const handle = await pickHandle(tx.db, name);
  const row = await tx.db
    .insertInto('users')
    .values({
      email,
      pending_email: null,
      email_verified_at: email && identity.emailVerified ? at : null,
      password_hash: null,
      display_name: name,
      display_name_key: displayNameKey(name),
      handle,
      bio: '',
      role: role ?? 'reader',
      created_at: at,
      updated_at: at,
      deleted_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const userId = Number(row.id);
  await tx.db
    .insertInto('sso_identities')
    .values({ provider: identity.provider, subject: identity.subject, user_id: userId, site_id: identity.site.id, created_at: at, last_used_at: at })
    .execute();
  tx.emit({ type: 'account.registered', stream: `user:${userId}`, actorId: userId, payload: { userId, via: identity.provider.startsWith('oidc:') ? 'oidc' : 'site_token', siteId: identity.site.id } });
  return userId;
}

/**
 * The Parley account of a publisher's reader: found by (provider, subject), updated from what the
 * publisher says now (display name, role when the site maps one), or created on first use. Spends the
 * token id in the same transaction, so a replay is refused however close the two requests are.
 */
export async function linkExternalAccount(
  ctx: AppContext,
  identity: ExternalIdentity,
  { now = new Date(), log = appLog(ctx) }: { now?: Date; log?: SsoLog } = {},
): Promise<{ account: Account; created: boolean }> {
  const role = publisherRole(identity.site, identity.claims);
  for (let attempt = 0; ; attempt++) {
    try {
      const { userId, created } = await runCommand(ctx, async (tx) => {
        if (identity.spend) await spendTokenId(tx, identity.site, identity.spend, now);
        const link = await tx.db
          .selectFrom('sso_identities')
          .select(['id', 'user_id'])
          .where('provider', '=', identity.provider)
          .where('subject', '=', identity.subject)
          .executeTakeFirst();
        if (link) {
          const account = await findAccountById(tx.db, Number(link.user_id));
          if (account) {
            await updateLinkedAccount(tx, account, identity, role, now);
            await tx.db.updateTable('sso_identities').set({ last_used_at: now.toISOString() }).where('id', '=', link.id).execute();
            return { userId: account.id, created: false };
          }
          // The account was deleted: the publisher's reader starts afresh.
          await tx.db.deleteFrom('sso_identities').where('id', '=', link.id).execute();
        }
        return { userId: await createLinkedAccount(log, tx, identity, role, now), created: true };
      });
      return { account: (await findAccountById(ctx.db.kysely, userId))!, created };
    } catch (error) {
      // Two first sign-ins raced for one name, handle, address or link: the next attempt sees the winner.
      const raced = ['display_name_key', 'handle', 'email', 'subject'].some((column) => isUniqueViolation(error, column));
      if (raced && attempt < 3) continue;
      throw error;
    }
  }
}
