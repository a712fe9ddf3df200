import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// A migration runs against databases made years apart; it must mean the same thing every time. One
// that imports feature code changes silently when the feature does, so a migration may import only
// kysely, Node's own modules and the helpers made for migrations.

const MIGRATIONS = path.join(import.meta.dirname, '..', '..', 'src', 'db', 'migrations');
const ALLOWED = [/^kysely$/, /^node:/, /^\.\.\/migration-helpers\.ts$/];

/** Every module a file names: static imports, re-exports and dynamic import() calls. */
export function importedModules(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

describe('migrations are frozen in time', () => {
  it('reads every kind of import (the check itself)', () => {
    const source = `import a from 'kysely';\nimport type { B } from '../../media/x.ts';\nexport { c } from './y.ts';\nconst d = await import('../../events/jobs.ts');`;
    expect(importedModules(source)).toEqual(['kysely', '../../media/x.ts', './y.ts', '../../events/jobs.ts']);
  });

  it('no file under src/db/migrations/ imports from outside src/db/', () => {
    const files = fs.readdirSync(MIGRATIONS).filter((f) => /\.tsx?$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((file) =>
      importedModules(fs.readFileSync(path.join(MIGRATIONS, file), 'utf8'))
        .filter((name) => !ALLOWED.some((pattern) => pattern.test(name)))
        .map((name) => `${file} imports ${name}`),
    );
    expect(offending).toEqual([]);
  });
});
