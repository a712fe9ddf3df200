import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, EXAMPLE_FILE, startTestApp, type TestApp } from '../helpers/app.ts';
import type { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';

// The newsroom imports an article from the browser: the same importer as `parley import`, behind the
// staff role, CSRF and a 5 MB limit, with every refusal explained on the form's own page.

const HTML = `<!doctype html><html lang="en"><head><title>Ferry timetable changes for winter</title>
<meta property="og:title" content="Ferry timetable changes for winter">
<meta property="article:published_time" content="2026-11-20T08:30:00Z"><meta name="author" content="Sam Writer"></head>
<body><article><h1>Ferry timetable changes for winter</h1>
<p>The island ferry will run four times a day from December, down from six, the operator said on Friday.</p>
<p>Commuters asked for the first crossing to stay at seven, and the operator agreed to keep it.</p>
<p>The summer timetable returns in April, when the second vessel is back from its refit.</p></article></body></html>`;

describe.each(dialects)('importing an article from the browser on %s', (dialect) => {
  let app: TestApp;
  let staff: TestClient;
  let reader: TestClient;
  let publisher: http.Server;
  let publisherBase: string;

  beforeAll(async () => {
    // The publisher's site, on loopback: this app may fetch from it (FETCH_PRIVATE=allow).
    publisher = http.createServer((req, res) => {
      if (req.url === '/news/ferry') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML.replace('<head>', '<head><meta property="og:image" content="/pictures/ferry.jpg">'));
      if (req.url === '/logo.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      res.writeHead(404, { 'content-type': 'text/html' }).end('<p>Not found</p>');
    });
    await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
    publisherBase = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`;
    app = await startTestApp(dialect, { FETCH_PRIVATE: 'allow' });
    staff = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { role: 'staff' }));
    reader = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx));
  });
  afterAll(async () => {
    await app?.close();
    publisher.closeAllConnections();
    await new Promise((resolve) => publisher.close(resolve));
  });

  async function upload(client: TestClient, content: Buffer | string | null, options: { csrf?: boolean; name?: string } = {}): Promise<Response> {
    const form = new FormData();
    if (options.csrf !== false) form.set('_csrf', await client.csrfToken());
    if (content !== null) form.set('article', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), options.name ?? 'story.html');
    return client.raw('/import', { method: 'POST', body: form, headers: { accept: 'text/html' } });
  }

  it('publishes an HTML page, then updates it when it is imported again', async () => {
    const res = await upload(staff, HTML);
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toBe('/import?imported=ferry-timetable-changes-for-winter&created=1');
    const confirmation = await (await staff.raw(location)).text();
    expect(confirmation).toContain('Created: <a href="/articles/ferry-timetable-changes-for-winter">Ferry timetable changes for winter</a>');
    const { article } = (await (await staff.raw('/api/v1/articles/ferry-timetable-changes-for-winter')).json()) as { article: { authors: { name: string }[]; body: unknown[] } };
    expect(article.authors).toEqual([{ name: 'Sam Writer' }]);
    expect(article.body).toHaveLength(3);

    const again = await upload(staff, HTML.replace('four times a day', 'five times a day'));
    expect(again.headers.get('location')).toBe('/import?imported=ferry-timetable-changes-for-winter&created=0');
    expect(await (await staff.raw(again.headers.get('location')!)).text()).toContain('Updated: <a href="/articles/ferry-timetable-changes-for-winter">');
    expect(await (await staff.raw('/articles/ferry-timetable-changes-for-winter')).text()).toContain('five times a day');
  });

  it('takes a page copied as text, whatever the file is called', async () => {
    const res = await upload(staff, fs.readFileSync(EXAMPLE_FILE), { name: 'clipboard.bin' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/import\?imported=rex-tillerson-says-russias-election-interference-has-created-serious-mistrust&created=[01]$/);
  });

  it('reads in French for a French browser, its refusals whole sentences', async () => {
    const fr = { accept: 'text/html', 'accept-language': 'fr-FR,fr;q=0.9' };
    const page = await (await staff.raw('/import', { headers: fr })).text();
    expect(page).toContain('<h1>Importer un article</h1>');
    expect(page).toContain('<label for="import-address">Adresse de l’article sur le site de l’éditeur</label>');
    expect(page).not.toContain('Import an article');
    const form = new FormData();
    form.set('_csrf', await staff.csrfToken());
    form.set('article', new Blob(['']), 'empty.txt');
    const refused = await staff.raw('/import', { method: 'POST', body: form, headers: fr });
    expect(refused.status).toBe(400);
    // The importer's own reason is French too, inside the sentence whole in the catalog.
    expect(await refused.text()).toContain('Ce fichier ne peut pas être importé\u00a0: le fichier est vide.');
    const address = await staff.raw('/import/address', {
      method: 'POST',
      headers: { ...fr, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: await staff.csrfToken(), address: `${publisherBase}/logo.png` }).toString(),
    });
    expect(address.status).toBe(422);
    expect(await address.text()).toContain('Cette adresse renvoie un contenu image/png, pas une page web.');
    // The reasons the fetcher gives for refusing an address, in French.
    const refuseIn = async (lang: string, target: string) =>
      (
        await staff.raw('/import/address', {
          method: 'POST',
          headers: { accept: 'text/html', 'accept-language': lang, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: await staff.csrfToken(), address: target }).toString(),
        })
      ).text();
    const host = new URL(publisherBase).host;
    expect(await refuseIn('fr', `${publisherBase}/news/missing`)).toContain(`Cette adresse ne peut pas être importée\u00a0: ${host} a répondu 404.`);
    expect(await refuseIn('fr', 'not an address')).toContain('Cette adresse ne peut pas être importée\u00a0: «\u202fnot an address\u202f» n’est pas une adresse.');
    expect(await refuseIn('fr', 'file:///etc/passwd')).toContain('les adresses file: ne sont pas récupérées.');
    expect(await refuseIn('en', 'file:///etc/passwd')).toContain('That address cannot be imported: file: addresses are not fetched.');
  });

  it('explains a file it cannot use, on the form', async () => {
    for (const [content, message] of [
      [null, 'Choose the article’s file (HTML or text) to import.'],
      ['', 'This file cannot be imported: the file is empty.'],
      [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), 'This file cannot be imported: the file is binary, not text or HTML.'],
      ['<html><body><p>no headline anywhere</p></body></html>', 'This file cannot be imported:'],
    ] as const) {
      const res = await upload(staff, content);
      expect(res.status, String(message)).toBe(400);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).toContain('enctype="multipart/form-data"');
    }
    // What a browser sends when the form is submitted with no file chosen: the file part with an
    // empty name and no content (issue 14, bug 6: answered 400 with no message on the form).
    const boundary = '----parleyEmptyFile';
    const raw = [
      `--${boundary}`, 'Content-Disposition: form-data; name="_csrf"', '', await staff.csrfToken(),
      `--${boundary}`, 'Content-Disposition: form-data; name="article"; filename=""', 'Content-Type: application/octet-stream', '', '',
      `--${boundary}--`, '',
    ].join('\r\n');
    const none = await staff.raw('/import', { method: 'POST', body: raw, headers: { accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(none.status).toBe(400);
    const noneHtml = await none.text();
    expect(noneHtml).toContain('Choose the article’s file (HTML or text) to import.');
    expect(noneHtml).toContain('enctype="multipart/form-data"');
    const big = await upload(staff, Buffer.alloc(5 * 1024 * 1024 + 1, 'a'));
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('The file is over 5 MB, the limit for an article.');
  });

  it("answers an upload cut off, or multipart with no boundary, with 400 and why; a stranger's upload is refused unread", async () => {
    const boundary = '----parleyCutOff';
    const cutOff = [`--${boundary}`, 'Content-Disposition: form-data; name="_csrf"', '', await staff.csrfToken(), `--${boundary}`, 'Content-Disposition: form-data; name="article"; filename="story.html"', '', HTML.slice(0, 200)].join('\r\n');
    for (const [contentType, body] of [[`multipart/form-data; boundary=${boundary}`, cutOff], ['multipart/form-data', 'no boundary anywhere']] as const) {
      for (const accept of ['text/html', 'application/json']) {
        const res = await staff.raw('/import', { method: 'POST', body, headers: { accept, 'content-type': contentType } });
        expect(res.status, `${contentType} ${accept}`).toBe(400);
        expect(await res.text()).toContain('The file did not arrive whole. Choose it and send it again.');
      }
    }
    // Refused on who they are (the body is never parsed, so a broken one changes nothing).
    const anonymous = await fetch(`${app.baseUrl}/import`, { method: 'POST', body: cutOff, headers: { accept: 'application/json', 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(anonymous.status).toBe(401);
    expect((await reader.raw('/import', { method: 'POST', body: cutOff, headers: { accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}` } })).status).toBe(403);
    // The form still works after them.
    expect((await upload(staff, HTML)).status).toBe(303);
  });

  it('is for the newsroom only, and needs the form’s CSRF field', async () => {
    expect((await reader.raw('/import', { headers: { accept: 'text/html' } })).status).toBe(403);
    expect((await upload(reader, HTML)).status).toBe(403);
    const anonymous = await fetch(`${app.baseUrl}/import`, { headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(401);
    const forged = await upload(staff, HTML, { csrf: false });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('could not be verified as coming from this site');
  });

  it("imports a story from its address: the page's own address is its source and the base of its picture's", async () => {
    const res = await staff.form('/import/address', { address: `${publisherBase}/news/ferry` });
    expect(res.status).toBe(303);
    const slug = new URL(res.headers.get('location')!, app.baseUrl).searchParams.get('imported')!;
    const stored = await app.ctx.db.kysely.selectFrom('articles').select(['source_url', 'image']).where('slug', '=', slug).executeTakeFirstOrThrow();
    expect(stored.source_url).toBe(`${publisherBase}/news/ferry`);
    expect(JSON.parse(stored.image!).sourceSrc).toBe(`${publisherBase}/pictures/ferry.jpg`);
  });

  it('explains an address it cannot import, and keeps it in the form', async () => {
    for (const [address, message] of [
      [`${publisherBase}/news/missing`, `That address cannot be imported: ${new URL(publisherBase).host} answered 404.`],
      [`${publisherBase}/logo.png`, 'That address gives image/png, not a web page.'],
      ['not an address', 'That address cannot be imported: "not an address" is not an address.'],
      ['file:///etc/passwd', 'That address cannot be imported: file: addresses are not fetched.'],
    ]) {
      const res = await staff.form('/import/address', { address: address! });
      expect(res.status, address).toBe(422);
      const html = await res.text();
      expect(html, address).toContain(message!.replaceAll('"', '&quot;'));
      expect(html, address).toContain(`value="${address!.replaceAll('"', '&quot;')}"`);
    }
    expect((await reader.form('/import/address', { address: `${publisherBase}/news/ferry` })).status).toBe(403);
  });
});

describe.each(dialects)('importing from an address without FETCH_PRIVATE on %s', (dialect) => {
  it("refuses the host's own network", async () => {
    const app = await startTestApp(dialect);
    try {
      const staff = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { role: 'staff' }));
      for (const address of [`${app.baseUrl}/`, 'http://169.254.169.254/latest/meta-data/', 'http://localhost:5432/']) {
        const res = await staff.form('/import/address', { address });
        expect(res.status, address).toBe(422);
        expect(await res.text(), address).toMatch(/not a public address/);
      }
      // A name that resolves to a private address is named with the address, in the reader's language.
      const fr = await staff.raw('/import/address', {
        method: 'POST',
        headers: { accept: 'text/html', 'accept-language': 'fr', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: await staff.csrfToken(), address: 'http://localhost:5432/' }).toString(),
      });
      expect(await fr.text()).toMatch(/localhost correspond à (127\.0\.0\.1|::1), qui n’est pas une adresse publique\./);
    } finally {
      await app.close();
    }
  });
});
