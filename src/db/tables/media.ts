import type { Generated } from 'kysely';

/** Pictures Parley serves itself (src/media): copies of imported articles' images, stored by content. */
export interface MediaTable {
  id: Generated<number>;
  /** Hex SHA-256 of the bytes: the file's name in its address, so one picture is stored once. */
  sha256: string;
  content_type: string;
  byte_size: number;
  bytes: Buffer;
  width: number;
  height: number;
  created_at: string;
}

/** The addresses pictures were copied from, so a re-import of the same picture needs no second download. */
export interface MediaSourcesTable {
  source_url: string;
  /** JSON: the copy as pages show it (src/media/store.ts ShownPicture). */
  picture: string;
  copied_at: string;
}

export interface MediaTables {
  media: MediaTable;
  media_sources: MediaSourcesTable;
}
