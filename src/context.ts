import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Db } from './db/connection.ts';
import type { Database } from './db/schema.ts';
import type { Mailer } from './email/mailer.ts';
import type { EventBus } from './events/bus.ts';
import type { Tx } from './events/command.ts';
import type { PageCache } from './http/page-cache.ts';

/**
 * What a feature holds about a reader, for "Download my data" and "Delete my account". Each feature
 * that stores personal data adds one handler to the context (see app.ts), so the accounts feature
 * never needs to know the others' tables.
 */
export interface PersonalDataHandler {
  /** The key under which this feature's data appears in the export, e.g. "comments". */
  name: string;
  export(db: Kysely<Database>, userId: number): Promise<unknown>;
  /** Runs inside the account-deletion transaction. */
  erase(tx: Tx, userId: number): Promise<void>;
}

/** Everything a feature needs from the running application, passed explicitly (no globals). */
export interface AppContext {
  config: Config;
  db: Db;
  bus: EventBus;
  log: FastifyBaseLogger | Console;
  personalData: PersonalDataHandler[];
  /** Outgoing e-mail: SMTP, or .eml files in DATA_DIR/outbox when SMTP_URL is not set. */
  mailer: Mailer;
  /** Rendered pages for anonymous readers, dropped by the events that change them. */
  pageCache: PageCache;
}
