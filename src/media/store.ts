import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { IMAGE_TYPES } from './fetch-image.ts';
import type { Picture } from './picture.ts';

// Pictures are rows, like everything else Parley keeps: several app processes on one PostgreSQL serve
// the same copies, and a backup of the database is a backup of the site. Each width of a picture is
// stored once, named by the SHA-256 of its bytes, so its address never changes meaning and can be
// cached for ever.

export interface StoredMedia {
  sha256: string;
  contentType: string;
  byteSize: number;
  bytes: Buffer;
}

export function mediaPath(sha256: string, contentType: string): string {
  return `/media/${sha256}.${IMAGE_TYPES[contentType] ?? 'bin'}`;
}

/** A copied picture as pages show it: the widest copy as `src`, every width for `srcset`. */
export interface ShownPicture {
  src: string;
  width: number;
  height: number;
  srcset: { src: string; width: number }[];
}

/**
 * Stores each width of the picture unless the same bytes are there already, and remembers the
 * address it came from (an address that now serves another picture points at the new one).
 */
export async function savePicture(db: Kysely<Database>, picture: Picture, sourceUrl: string): Promise<ShownPicture> {
  const now = new Date().toISOString();
  const srcset: ShownPicture['srcset'] = [];
  for (const variant of picture.variants) {
    const sha256 = createHash('sha256').update(variant.bytes).digest('hex');
    await db
      .insertInto('media')
      .values({ sha256, content_type: variant.contentType, byte_size: variant.bytes.byteLength, bytes: variant.bytes, width: variant.width, height: variant.height, created_at: now })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    srcset.push({ src: mediaPath(sha256, variant.contentType), width: variant.width });
  }
  const shown: ShownPicture = { src: srcset[srcset.length - 1]!.src, width: picture.width, height: picture.height, srcset };
  const json = JSON.stringify(shown);
  await db
    .insertInto('media_sources')
    .values({ source_url: sourceUrl, picture: json, copied_at: now })
    .onConflict((oc) => oc.column('source_url').doUpdateSet({ picture: json, copied_at: now }))
    .execute();
  return shown;
}

/** The copy already made from this source address, if any. */
export async function copiedFrom(db: Kysely<Database>, sourceUrl: string): Promise<ShownPicture | null> {
  const row = await db.selectFrom('media_sources').select('picture').where('source_url', '=', sourceUrl).executeTakeFirst();
  return row ? (JSON.parse(row.picture) as ShownPicture) : null;
}

export async function findMedia(db: Kysely<Database>, sha256: string): Promise<StoredMedia | null> {
  const row = await db.selectFrom('media').select(['sha256', 'content_type', 'byte_size', 'bytes']).where('sha256', '=', sha256).executeTakeFirst();
  return row ? { sha256: row.sha256, contentType: row.content_type, byteSize: Number(row.byte_size), bytes: Buffer.from(row.bytes) } : null;
}
