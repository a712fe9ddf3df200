// `npm run build:server` compiles src/ to build/, and bin/parley.js runs build/ only while it matches
// src/ exactly. Built here in a scratch project, so the real build/ is never touched by a test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript modules without type declarations
import { compiledModule, sourceFiles, staleReason } from '../../bin/compiled.js';
// @ts-expect-error plain JavaScript modules without type declarations
import { buildServer } from '../../scripts/build-server.mjs';

let root: string;

function write(relative: string, text: string): void {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Moves a file's modification time forward, as an edit a second later would. */
function touchLater(relative: string): void {
  const file = path.join(root, relative);
  const later = new Date(fs.statSync(file).mtimeMs + 2000);
  fs.utimesSync(file, later, later);
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-build-'));
  // The project's own shapes: .ts imports, JSON with an import attribute, JSX for Preact, a class
  // with parameter properties, a neighbour read by path, a test that is not part of the program.
  write('src/main.ts', "import { greet } from './lib/greet.ts';\nimport messages from './messages.json' with { type: 'json' };\nexport const main = () => greet(messages.name);\n");
  write('src/lib/greet.ts', "import type { Name } from './types.ts';\nexport class Greeter { constructor(private readonly word: string) {} say(n: Name) { return `${this.word} ${n}`; } }\nexport const greet = (n: Name) => new Greeter('hello').say(n);\nexport const later = () => import('./lazy.ts');\n");
  write('src/lib/types.ts', 'export type Name = string;\n');
  write('src/lib/lazy.ts', 'export const lazy = 42;\n');
  write('src/view.tsx', 'export const View = () => <p>hi</p>;\n');
  write('src/messages.json', '{"name": "reader"}\n');
  write('src/lib/greet.test.ts', 'throw new Error("tests are not built");\n');
  write('src/client/island.ts', 'export {};\n');
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the server build', () => {
  it('compiles every source but tests and browser islands, and the result runs', async () => {
    expect(staleReason(root)).toMatch(/no build/);
    expect(compiledModule('main.js', root)).toBeNull();
    await buildServer({ quiet: true, root });

    expect(sourceFiles(root)).toEqual(['lib/greet.ts', 'lib/lazy.ts', 'lib/types.ts', 'main.ts', 'messages.json', 'view.tsx']);
    expect(fs.existsSync(path.join(root, 'build/lib/greet.test.js'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'build/client'))).toBe(false);
    const greet = fs.readFileSync(path.join(root, 'build/lib/greet.js'), 'utf8');
    expect(greet).toContain('import("./lazy.js")');
    expect(greet).not.toMatch(/\.ts['"]/);
    expect(fs.readFileSync(path.join(root, 'build/view.js'), 'utf8')).toContain('preact/jsx-runtime');
    // Nothing is left behind from the swap.
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.build'))).toEqual([]);

    expect(staleReason(root)).toBeNull();
    const url = compiledModule('main.js', root);
    expect(url).toBe(pathToFileURL(path.join(root, 'build/main.js')).href);
    // Run in a child process: Node (not vitest's transformer) must accept the output as it is.
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(url)}); console.log(m.main());`], { encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.stdout.trim()).toBe('hello reader');
  });

  it('is stale once a source changes, appears or goes, and fresh again after a rebuild', async () => {
    await buildServer({ quiet: true, root });
    expect(staleReason(root)).toBeNull();

    touchLater('src/lib/greet.ts');
    expect(staleReason(root)).toMatch(/src\/lib\/greet\.ts changed/);
    expect(compiledModule('main.js', root)).toBeNull();
    await buildServer({ quiet: true, root });
    expect(staleReason(root)).toBeNull();

    write('src/lib/new.ts', 'export {};\n');
    expect(staleReason(root)).toMatch(/added to or removed/);
    await buildServer({ quiet: true, root });
    fs.rmSync(path.join(root, 'src/lib/new.ts'));
    expect(staleReason(root)).toMatch(/added to or removed/);

    // Tests change all the time and are not part of the build.
    await buildServer({ quiet: true, root });
    touchLater('src/lib/greet.test.ts');
    expect(staleReason(root)).toBeNull();
  });

  it('PARLEY_RUN_TS=1 always runs the sources', async () => {
    await buildServer({ quiet: true, root });
    const before = process.env.PARLEY_RUN_TS;
    process.env.PARLEY_RUN_TS = '1';
    try {
      expect(compiledModule('main.js', root)).toBeNull();
    } finally {
      if (before === undefined) delete process.env.PARLEY_RUN_TS;
      else process.env.PARLEY_RUN_TS = before;
    }
  });
});
