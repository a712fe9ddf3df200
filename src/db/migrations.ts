import type { Migration } from 'kysely';
import * as m0001 from './migrations/0001_core.ts';
import * as m0002 from './migrations/0002_accounts.ts';

/** Every migration, in order. A feature adds its file to migrations/ and one line here. */
export const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_accounts': m0002,
};
