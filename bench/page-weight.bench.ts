// Page weight: the bytes a reader downloads for an article with 20 threads on page 1 (80 comments),
// signed in (a browser that runs the comments island, and one without JavaScript, which gets every
// action merged in as a link: comments/viewer-json.ts) and anonymous, without compression and with what
// browsers ask for (gzip, brotli).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startParley } from './lib.ts';
import { addArticle, addConversation, addReader, migrate, openRaw } from './comments-fixtures.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-weight-'));
await migrate(dataDir);
const raw = openRaw(dataDir);
const articleId = addArticle(raw, 'weighty');
const authors = ['Ann', 'Ben', 'Cat', 'Dev', 'Eve'].map((name) => addReader(raw, name).userId);
const { token } = addReader(raw, 'Viewer');
addConversation(raw, articleId, authors, 1000, 20);
raw.close();

const parley = await startParley(3996, { PARLEY_SEED_EXAMPLE: '0', LOG_LEVEL: 'warn' }, dataDir);
const get = (headers: Record<string, string>) =>
  new Promise<{ bytes: number; encoding: string }>((resolve, reject) =>
    http
      .get(`${parley.url}/articles/weighty`, { headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
      })
      .on('error', reject),
  );
try {
  const results: string[] = [];
  for (const [who, headers] of [
    ['signed-in', { cookie: `parley_session=${token}; parley_js=1` }],
    ['signed-in-nojs', { cookie: `parley_session=${token}` }],
    ['anonymous', {}],
  ] as const) {
    for (const accept of ['identity', 'gzip', 'br']) {
      await get({ ...headers, 'accept-encoding': accept }); // the second anonymous request is the cached one
      const { bytes, encoding } = await get({ ...headers, 'accept-encoding': accept });
      if (encoding !== accept) throw new Error(`${who} page asked for ${accept} came as ${encoding}`);
      console.log(`${who} article page with 20 threads, ${accept}: ${bytes} bytes`);
      results.push(`${who}_${accept}=${bytes}`);
    }
  }
  console.log(`RESULT page-weight ${results.join(' ')}`);
} finally {
  await parley.stop();
}
