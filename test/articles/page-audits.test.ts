import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postComment as postCommentCommand } from '../../src/comments/commands.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/model.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestUser } from '../helpers/users.ts';
import { startConversation, type Conversation } from '../comments/setup.ts';

// What Lighthouse's SEO and best-practices audits look at on the pages readers see most (the front
// page, an article page and a 200-comment article page), checked on the served HTML in every test
// run. Lighthouse itself (scripts/lighthouse.ts, `npm run lighthouse`) takes about two minutes, too
// long for `npm test`; axe covers accessibility in the browser tests.

describe('what Lighthouse audits, on the served pages', () => {
  let c: Conversation;
  let busyPath = '';
  beforeAll(async () => {
    c = await startConversation('sqlite');
    const busy = await c.importArticle('Two hundred readers on the bridge plan');
    const readers = [await createTestUser(c.app.ctx), await createTestUser(c.app.ctx)];
    const settings = { ...DEFAULT_SETTINGS, commentIntervalSeconds: 0 };
    let root = 0;
    for (let i = 0; i < 200; i++) {
      const comment = await postCommentCommand(c.app.ctx, { articleId: Number(busy.id), author: readers[i % 2]!, body: `Comment number ${i + 1} on the bridge.`, parentId: i % 4 === 0 ? null : root }, settings);
      if (i % 4 === 0) root = comment.id;
    }
    busyPath = `/articles/${busy.slug}`;
  }, 120_000);
  afterAll(async () => c.app.close());

  const pages = () => [
    ['front page', '/'],
    ['article page', `/articles/${c.article.slug}`],
    ['200-comment article page', busyPath],
  ];

  it('each page is crawlable, described, titled, in a language, and says where it lives', async () => {
    for (const [name, path] of pages()) {
      const res = await new TestClient(c.app.baseUrl).raw(path!);
      expect(res.status, name).toBe(200);
      const html = await res.text();
      expect(html.slice(0, 15).toLowerCase(), `${name}: doctype`).toBe('<!doctype html>');
      const { document } = new JSDOM(html).window;
      expect(document.documentElement.getAttribute('lang'), `${name}: lang`).toMatch(/^[a-z]{2}(-[A-Z]{2})?$/);
      expect(document.querySelector('meta[charset]')?.getAttribute('charset')?.toLowerCase(), `${name}: charset`).toBe('utf-8');
      expect(document.querySelector('meta[name="viewport"]')?.getAttribute('content'), `${name}: viewport`).toContain('width=device-width');
      expect(document.title.trim().length, `${name}: title`).toBeGreaterThan(0);
      expect(document.querySelector('meta[name="description"]')?.getAttribute('content')?.trim().length ?? 0, `${name}: meta description`).toBeGreaterThan(0);
      expect(document.querySelector('meta[name="robots"][content*="noindex"]'), `${name}: not blocked from indexing`).toBeNull();
      expect(res.headers.get('x-robots-tag') ?? '', `${name}: not blocked by header`).not.toMatch(/noindex/);
      const canonical = document.querySelector('link[rel="canonical"]')?.getAttribute('href');
      if (canonical) expect(new URL(canonical).pathname, `${name}: canonical`).toBe(new URL(path!, 'http://x').pathname);
      expect(document.querySelectorAll('h1').length, `${name}: one h1`).toBe(1);
      // Link text that says where it goes, as Lighthouse's "descriptive link text" wants.
      const vague = [...document.querySelectorAll('a[href]')].map((a) => a.textContent!.trim().toLowerCase()).filter((t) => ['click here', 'here', 'more', 'read more', 'link', 'start', 'go'].includes(t));
      expect(vague, `${name}: vague link texts`).toEqual([]);
      // Every picture has alt text and its size, so nothing shifts as it loads.
      for (const img of document.querySelectorAll('img')) {
        expect(img.hasAttribute('alt'), `${name}: <img> without alt`).toBe(true);
      }
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i), `${name}: duplicate ids`).toEqual([]);
    }
  });

  it('serves the icons a browser asks for, so no page logs a 404', async () => {
    const client = new TestClient(c.app.baseUrl);
    expect((await client.raw('/favicon.ico')).status).toBe(200);
    const { document } = new JSDOM(await (await client.raw('/')).text()).window;
    for (const link of document.querySelectorAll('link[rel~="icon"], link[rel="manifest"], link[rel="apple-touch-icon"]')) {
      expect((await client.raw(link.getAttribute('href')!)).status, link.outerHTML).toBe(200);
    }
  });
});
