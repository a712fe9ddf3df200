import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { handleBase } from '../accounts/rules.ts';
import type { Database } from '../db/schema.ts';
import type { SourceAuthor } from './model.ts';

// An author from another system is an imported profile: a placeholder account with a name, a handle
// and the comments, but no address, no password and so no way to sign in. The address the source gave
// is kept only as its SHA-256, to recognise the reader who later verifies the same address (claim.ts).

export const emailHash = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

const HANDLE_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const MAX_NAME = 80;

function cleanName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_NAME);
  return clean || 'Anonymous';
}

async function freeHandle(db: Kysely<Database>, name: string): Promise<string> {
  const base = handleBase(name).slice(0, 24);
  for (let length = 4; ; length++) {
    const suffix = [...randomBytes(length)].map((b) => HANDLE_ALPHABET[b % HANDLE_ALPHABET.length]).join('');
    const candidate = `${base}-${suffix}`;
    const [user, retired] = await Promise.all([
      db.selectFrom('users').select('id').where('handle', '=', candidate).executeTakeFirst(),
      db.selectFrom('retired_handles').select('handle_hash').where('handle_hash', '=', createHash('sha256').update(candidate).digest('hex')).executeTakeFirst(),
    ]);
    if (!user && !retired) return candidate;
  }
}

/** The account an imported author's comments are written by: the reader who claimed them, else the placeholder. */
export async function profileAccount(
  db: Transaction<Database>,
  source: string,
  author: SourceAuthor,
  now: string,
): Promise<{ userId: number; created: boolean; claimedAtImport: boolean }> {
  const found = await db.selectFrom('imported_profiles').select(['user_id', 'claimed_by']).where('source', '=', source).where('source_id', '=', author.sourceId).executeTakeFirst();
  if (found) return { userId: Number(found.claimed_by ?? found.user_id), created: false, claimedAtImport: false };
  const hash = author.emailHash ?? (author.email ? emailHash(author.email) : null);
  // A reader who has already verified this address claims the profile now, as they would on verifying it later.
  const owner = author.email
    ? await db.selectFrom('users').select('id').where('email', '=', author.email.trim().toLowerCase()).where('email_verified_at', 'is not', null).where('deleted_at', 'is', null).executeTakeFirst()
    : undefined;
  let userId: number;
  if (owner) {
    userId = Number(owner.id);
  } else {
    const name = cleanName(author.name);
    const row = await db
      .insertInto('users')
      .values({
        email: null,
        email_verified_at: null,
        pending_email: null,
        password_hash: null,
        display_name: name,
        // Imported names do not reserve a name: two readers of the old system may have shared one.
        display_name_key: null,
        handle: await freeHandle(db, name),
        bio: '',
        role: 'reader',
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    userId = Number(row.id);
  }
  await db
    .insertInto('imported_profiles')
    .values({ source, source_id: author.sourceId, user_id: userId, email_hash: hash, claimed_by: owner ? userId : null, claimed_at: owner ? now : null, created_at: now })
    .execute();
  return { userId, created: !owner, claimedAtImport: Boolean(owner) };
}
