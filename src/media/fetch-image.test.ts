import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from '../../test/fixtures/pictures.ts';
import { FetchRefused, isPublicAddress } from '../http/outbound.ts';
import { fetchImage } from './fetch-image.ts';

// A server on loopback that answers each path its own way.
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

let server: http.Server;
let base: string;
const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
  '/picture.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
  '/lying.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end('<html><script>alert(1)</script></html>'),
  '/drawing.svg': (_req, res) => res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SVG),
  '/big-declared.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png', 'content-length': '5000' }).end(Buffer.concat([PNG, Buffer.alloc(5000 - PNG.length)])),
  '/big-streamed.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.write(PNG);
    res.end(Buffer.alloc(5000));
  },
  '/gone.png': (_req, res) => res.writeHead(404).end('no'),
  '/busy.png': (_req, res) => res.writeHead(503).end('later'),
  '/moved.png': (_req, res) => res.writeHead(302, { location: '/picture.png' }).end(),
  '/loop.png': (_req, res) => res.writeHead(302, { location: '/loop.png' }).end(),
  '/to-file.png': (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
  '/silent.png': () => undefined,
};

beforeAll(async () => {
  server = http.createServer((req, res) => (routes[req.url ?? ''] ?? ((_q, r) => r.writeHead(404).end()))(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const allowed = { allowPrivate: true, maxBytes: 1000 };

async function refusal(promise: Promise<unknown>): Promise<FetchRefused> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchRefused);
  return error as FetchRefused;
}

describe('fetchImage', () => {
  it('copies a picture, and tells its type from its bytes', async () => {
    const picture = await fetchImage(`${base}/picture.png`, allowed);
    expect(picture.bytes.equals(PNG)).toBe(true);
    expect(picture).toMatchObject({ contentType: 'image/png', extension: 'png', url: `${base}/picture.png` });
  });

  it('follows a few redirects, and no more', async () => {
    expect((await fetchImage(`${base}/moved.png`, allowed)).url).toBe(`${base}/picture.png`);
    const loop = await refusal(fetchImage(`${base}/loop.png`, allowed));
    expect(loop.message).toMatch(/more than 3 redirects/);
    expect(loop.permanent).toBe(true);
    expect((await refusal(fetchImage(`${base}/to-file.png`, allowed))).message).toMatch(/file: addresses are not fetched/);
  });

  it('refuses loopback and private addresses unless told otherwise: literal, and by name after DNS', async () => {
    const literal = await refusal(fetchImage(`${base}/picture.png`, { allowPrivate: false }));
    expect(literal).toMatchObject({ permanent: true, message: '127.0.0.1 is not a public address' });
    const port = new URL(base).port;
    const byName = await refusal(fetchImage(`http://localhost:${port}/picture.png`, { allowPrivate: false }));
    expect(byName.permanent).toBe(true);
    expect(byName.message).toMatch(/localhost resolves to .* which is not a public address/);
    expect((await refusal(fetchImage('http://[::ffff:169.254.169.254]/latest/meta-data', { allowPrivate: false }))).permanent).toBe(true);
  });

  it('refuses what is not a JPEG, PNG, GIF, WebP or AVIF picture, whatever the server calls it', async () => {
    const html = await refusal(fetchImage(`${base}/lying.png`, allowed));
    expect(html).toMatchObject({ permanent: true });
    expect(html.message).toMatch(/not a picture/);
    expect((await refusal(fetchImage(`${base}/drawing.svg`, allowed))).message).toMatch(/not a JPEG, PNG/);
    expect((await refusal(fetchImage('ftp://example.org/a.png', allowed))).message).toMatch(/ftp: addresses are not fetched/);
    expect((await refusal(fetchImage('not an address', allowed))).permanent).toBe(true);
  });

  it('stops at the size limit, declared or not', async () => {
    expect((await refusal(fetchImage(`${base}/big-declared.png`, allowed))).message).toMatch(/5000 bytes, more than the 1000 allowed/);
    expect((await refusal(fetchImage(`${base}/big-streamed.png`, allowed))).message).toMatch(/more than the 1000 bytes allowed/);
  });

  it('tells a missing picture (permanent) from a server in trouble or a silent one (try again)', async () => {
    expect(await refusal(fetchImage(`${base}/gone.png`, allowed))).toMatchObject({ permanent: true, message: expect.stringMatching(/answered 404/) });
    expect(await refusal(fetchImage(`${base}/busy.png`, allowed))).toMatchObject({ permanent: false, message: expect.stringMatching(/answered 503/) });
    expect(await refusal(fetchImage(`${base}/silent.png`, { ...allowed, timeoutMs: 300 }))).toMatchObject({ permanent: false, message: expect.stringMatching(/did not answer in time/) });
  });
});

describe('isPublicAddress', () => {
  it.each([
    ['93.184.215.14', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['192.168.0.1', false],
    ['172.16.0.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['::ffff:127.0.0.1', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
