import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSource } from '../../src/migrate-comments/sources/index.ts';
import { writeDisqusExport } from './disqus-generator.ts';

// A large export is read as a stream: memory holds one post at a time, not the file. (The 200 MB,
// 100,000-comment import with its database writes is measured in bench/comments-import.bench.ts.)

describe('reading a large Disqus export', () => {
  let dir: string;
  let file: string;
  let size: number;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-stream-'));
    file = path.join(dir, 'large.xml');
    size = (await writeDisqusExport(file, { threads: 200, posts: 20_000, bytesPerPost: 2_000 })).bytes;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds one post at a time, whatever the size of the file', async () => {
    expect(size).toBeGreaterThan(40 * 1024 * 1024);
    // Live memory, not garbage waiting for collection: a full collection before each sample.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let comments = 0;
    let threads = 0;
    let lastId = '';
    for await (const item of readSource('disqus', file)) {
      if (item.kind === 'thread') threads++;
      if (item.kind !== 'comment') continue;
      comments++;
      lastId = item.sourceId;
      if (comments % 2_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    }
    expect({ threads, comments, lastId }).toEqual({ threads: 200, comments: 20_000, lastId: 'p20000' });
    // The file as one string would be twice its size in memory (UTF-16); the reader stays far below it.
    console.log(`heap growth ${((peak - before) / 1048576).toFixed(1)} MB for a ${(size / 1048576).toFixed(1)} MB file`);
    expect(peak - before).toBeLessThan(size / 2);
  });
});
