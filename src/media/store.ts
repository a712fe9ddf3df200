import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { IMAGE_TYPES } from './fetch-image.ts';

// Pictures are rows, like everything else Parley keeps: several app processes on one PostgreSQL serve
// the same copies, and a backup of the database is a backup of the site. Each is stored once, named
// by the SHA-256 of its bytes, so its address never changes meaning and can be cached for ever.

export interface StoredMedia {
  sha256: string;
  contentType: string;
  byteSize: number;
  bytes: Buffer;
}

export function mediaPath(sha256: string, contentType: string): string {
  return `/media/${sha256}.${IMAGE_TYPES[contentType] ?? 'bin'}`;
}

/**
 * Stores the picture unless the same bytes are there already, and remembers where it came from (an
 * address that now serves other bytes points at them); returns its address on this site.
 */
export async function saveMedia(db: Kysely<Database>, picture: { bytes: Buffer; contentType: string }, sourceUrl: string): Promise<string> {
  const sha256 = createHash('sha256').update(picture.bytes).digest('hex');
  const now = new Date().toISOString();
  await db
    .insertInto('media')
    .values({ sha256, content_type: picture.contentType, byte_size: picture.bytes.byteLength, bytes: picture.bytes, created_at: now })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  await db
    .insertInto('media_sources')
    .values({ source_url: sourceUrl, sha256, copied_at: now })
    .onConflict((oc) => oc.column('source_url').doUpdateSet({ sha256, copied_at: now }))
    .execute();
  return mediaPath(sha256, picture.contentType);
}

/** The address of the copy already made from this source address, if any. */
export async function copiedFrom(db: Kysely<Database>, sourceUrl: string): Promise<string | null> {
  const row = await db
    .selectFrom('media_sources')
    .innerJoin('media', 'media.sha256', 'media_sources.sha256')
    .select(['media.sha256', 'media.content_type'])
    .where('media_sources.source_url', '=', sourceUrl)
    .executeTakeFirst();
  return row ? mediaPath(row.sha256, row.content_type) : null;
}

export async function findMedia(db: Kysely<Database>, sha256: string): Promise<StoredMedia | null> {
  const row = await db.selectFrom('media').select(['sha256', 'content_type', 'byte_size', 'bytes']).where('sha256', '=', sha256).executeTakeFirst();
  return row ? { sha256: row.sha256, contentType: row.content_type, byteSize: Number(row.byte_size), bytes: Buffer.from(row.bytes) } : null;
}
