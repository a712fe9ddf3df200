import { sql, type Kysely } from 'kysely';

// Admins list the jobs that gave up (src/admin): few among all the jobs kept for inspection, so they
// get a partial index of their own instead of a walk through every finished job.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('jobs_failed').on('jobs').column('id').where(sql.ref('failed_at'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_failed').execute();
}
