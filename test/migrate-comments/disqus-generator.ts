import fs from 'node:fs';
import { once } from 'node:events';

// A Disqus export of any size, written as a stream (the test and the bench never hold it in memory):
// `threads` conversations under https://news.example.com/, `posts` comments of about `bytesPerPost`,
// every other one a reply to an earlier comment of its thread, some deleted and some spam.

export async function writeDisqusExport(file: string, options: { threads: number; posts: number; bytesPerPost: number }): Promise<{ bytes: number }> {
  const out = fs.createWriteStream(file, { encoding: 'utf8' });
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n');
  for (let t = 1; t <= options.threads; t++) {
    await write(`  <thread dsq:id="t${t}">\n    <link>https://news.example.com/story-${t}/</link>\n    <title>Story ${t}</title>\n  </thread>\n`);
  }
  const filler = 'The council met again on Tuesday to discuss the harbour, and the <em>reader</em> has views. ';
  const lastInThread = new Map<number, number[]>();
  for (let p = 1; p <= options.posts; p++) {
    const thread = ((p * 7919) % options.threads) + 1;
    const earlier = lastInThread.get(thread) ?? [];
    const parent = p % 2 === 0 && earlier.length ? earlier[(p * 31) % earlier.length] : undefined;
    const paragraphs = Math.max(1, Math.round(options.bytesPerPost / (filler.length + 8)));
    const message = `<p>Comment ${p}.</p>` + `<p>${filler.repeat(paragraphs)}</p>`;
    await write(
      `  <post dsq:id="p${p}">\n    <message><![CDATA[${message}]]></message>\n    <createdAt>${new Date(Date.UTC(2015, 0, 1) + p * 60_000).toISOString().replace('.000Z', 'Z')}</createdAt>\n` +
        `    <isDeleted>${p % 97 === 0 ? 'true' : 'false'}</isDeleted>\n    <isSpam>${p % 89 === 0 ? 'true' : 'false'}</isSpam>\n` +
        `    <author>\n      <name>Reader ${p % 500}</name>\n      <email>reader${p % 500}@example.net</email>\n      <isAnonymous>false</isAnonymous>\n      <username>reader-${p % 500}</username>\n    </author>\n` +
        `    <thread dsq:id="t${thread}"/>\n${parent ? `    <parent dsq:id="p${parent}"/>\n` : ''}  </post>\n`,
    );
    // A few recent comments per thread are enough to give replies somewhere to go.
    earlier.push(p);
    if (earlier.length > 20) earlier.shift();
    lastInThread.set(thread, earlier);
  }
  await write('</disqus>\n');
  out.end();
  await once(out, 'finish');
  return { bytes };
}
