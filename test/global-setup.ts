import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

// Each PostgreSQL test database is a schema named after this run (`t_<run>_…`, `m_<run>_…`), and they
// are all dropped here, once every file has finished. Dropping one while another file migrates fails
// that file: Kysely's migrator lists every schema's tables, and a schema dropped meanwhile makes the
// catalog query fail with "schema … does not exist".

declare module 'vitest' {
  export interface ProvidedContext {
    pgRun: string;
  }
}

export default function setup(project: TestProject) {
  const run = randomBytes(4).toString('hex');
  project.provide('pgRun', run);
  return async () => {
    const url = process.env.PARLEY_TEST_DATABASE_URL?.trim();
    if (!url) return;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>('select nspname from pg_namespace where nspname ~ $1', [`^[a-z]_${run}_[0-9a-f]+$`]);
      for (const { nspname } of rows) await client.query(`drop schema if exists ${nspname} cascade`);
    } finally {
      await client.end();
    }
  };
}
