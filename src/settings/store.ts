import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { settingProblem, settingsFromStored, type SettingKey, type Settings } from './model.ts';

// Settings are read on every comment post and page, and change rarely: each process keeps them for a
// few seconds. A change made in this process is seen at once; other processes see it within CACHE_MS.
const CACHE_MS = 5000;

const cache = new WeakMap<Kysely<Database>, { settings: Settings; at: number }>();

export async function getSettings(db: Kysely<Database>, now = Date.now()): Promise<Settings> {
  const hit = cache.get(db);
  if (hit && now - hit.at < CACHE_MS) return hit.settings;
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  const settings = settingsFromStored(Object.fromEntries(rows.map((r) => [r.key, r.value])));
  cache.set(db, { settings, at: now });
  return settings;
}

export class SettingError extends Error {
  override readonly name = 'SettingError';
}

export async function setSetting<K extends SettingKey>(db: Kysely<Database>, key: K, value: Settings[K]): Promise<void> {
  const problem = settingProblem(key, value);
  if (problem) throw new SettingError(problem);
  const row = { key, value: JSON.stringify(value), updated_at: new Date().toISOString() };
  await db
    .insertInto('settings')
    .values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
    .execute();
  cache.delete(db);
}

/** Forgets this process's copy, after settings were written some other way (an audited admin change). */
export function forgetSettings(db: Kysely<Database>): void {
  cache.delete(db);
}
