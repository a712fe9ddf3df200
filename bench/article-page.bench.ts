// Issue 2: the anonymous article page's throughput against a bare node:http hello world, same
// connections, alternating rounds, in one run. Target ratio ≥ 0.6.
import http from 'node:http';
import { alternate, load, startHelloServer, startParley, startSameBytesServer } from './lib.ts';

const CONNECTIONS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const hello = await startHelloServer(3990);
const parley = await startParley(3991, { SQLITE_SYNCHRONOUS: 'FULL' });
try {
  const list = (await (await fetch(`${parley.url}/api/v1/articles`)).json()) as { articles: { url: string }[] };
  const articleUrl = `${parley.url}${list.articles[0]!.url}`;
  const page = await fetch(articleUrl);
  if (page.status !== 200) throw new Error(`article page answered ${page.status}`);
  console.log(`article page: ${articleUrl} (${(await page.text()).length} bytes of HTML)`);
  // Warm both up so JIT and caches do not count against the first round.
  await load(hello.url, { connections: CONNECTIONS, durationSeconds: 1 });
  await load(articleUrl, { connections: CONNECTIONS, durationSeconds: 1 });
  const { ratio } = await alternate(
    'anonymous article page vs node:http hello world',
    { name: 'node:http hello', run: () => load(hello.url, { connections: CONNECTIONS, durationSeconds: SECONDS }) },
    { name: 'article page', run: () => load(articleUrl, { connections: CONNECTIONS, durationSeconds: SECONDS }) },
  );
  // The same bytes and headers from bare node:http: what a page of this size costs on this machine.
  const raw = await rawGet(articleUrl);
  const sameBytes = await startSameBytesServer(3992, raw.body, raw.headers);
  try {
    await load(sameBytes.url, { connections: CONNECTIONS, durationSeconds: 1 });
    const own = await alternate(
      'anonymous article page vs the same bytes and headers from bare node:http',
      { name: 'same bytes', run: () => load(sameBytes.url, { connections: CONNECTIONS, durationSeconds: SECONDS }) },
      { name: 'article page', run: () => load(articleUrl, { connections: CONNECTIONS, durationSeconds: SECONDS }) },
    );
    console.log(`RESULT article-page ratio=${ratio.toFixed(2)} target>=0.6 ${ratio >= 0.6 ? 'MET' : 'MISSED'} (vs the same bytes from bare node:http: ${own.ratio.toFixed(2)})`);
  } finally {
    await sameBytes.stop();
  }
} finally {
  await hello.stop();
  await parley.stop();
}

/** The page as autocannon receives it (no compression asked for), with its headers. */
function rawGet(url: string): Promise<{ body: Buffer; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string' && !['date', 'connection', 'keep-alive'].includes(name)) headers[name] = value;
          resolve({ body: Buffer.concat(chunks), headers });
        });
      })
      .on('error', reject);
  });
}
