import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import type { Article } from '../../src/articles/model.ts';
import { setSetting } from '../../src/settings/store.ts';
import { findSiteByKey } from '../../src/sites/store.ts';
import { postComment } from '../comments/setup.ts';
import { dialects, EXAMPLE_FILE, startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtpServer, waitFor, type TestSmtpServer } from '../helpers/mail.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';

// A notification mail speaks its recipient's language: subject, sentence, greeting and footer.

describe.each(dialects)('notification mails in the reader’s language (%s)', (dialect) => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let article: Article;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp(dialect, { SMTP_URL: smtp.url });
    const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });
    article = (await importArticle(app.ctx, draft)).article;
    await setSetting(app.ctx.db.kysely, 'commentIntervalSeconds', 0);
    await setSetting(app.ctx.db.kysely, 'spamHoldThreshold', 1);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('a French reader’s reply mail is French from subject to footer', async () => {
    const french = await createTestUser(app.ctx);
    await app.ctx.db.kysely.updateTable('users').set({ locale: 'fr' }).where('id', '=', french.id).execute();
    const other = await createTestUser(app.ctx);
    const parent = (await postComment(await signedInClient(app.ctx, app.baseUrl, french), article.slug, 'Écrivez-moi.')).id;
    await postComment(await signedInClient(app.ctx, app.baseUrl, other), article.slug, 'Une réponse.', parent);
    const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes(french.email)), 'the reply mail');
    // The test SMTP helper joins folded encoded-words with a space: compare the subject without spacing.
    const unspaced = (text: string) => text.replace(/\s+/g, '');
    expect(unspaced(mail.subject)).toBe(unspaced(`${other.displayName} a répondu à votre commentaire sur «\u00a0${article.headline}\u00a0» — Parley`));
    expect(mail.text).toContain(`Bonjour ${french.displayName},`);
    expect(mail.text).toContain('Toutes vos notifications\u00a0: http://parley.test/notifications');
    expect(mail.text).toContain('Ne plus recevoir les e-mails «\u00a0Réponses à mes commentaires\u00a0» en un clic\u00a0: http://parley.test/unsubscribe/');
    expect(mail.text).not.toMatch(/\b(?:Hello|replied|notifications:|Stop mails)\b/);
  });

  it('a reply mail about a French site’s article is French to a reader who chose no language, and English to one who chose English', async () => {
    const admin = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { role: 'admin' }));
    const created = await admin.post('/api/v1/admin/sites', { name: 'Le Quotidien', key: 'le-quotidien-mail', origins: ['https://www.le-quotidien.example'], locale: 'fr' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const site = (await findSiteByKey(app.ctx.db.kysely, 'le-quotidien-mail'))!;
    expect(site.locale).toBe('fr');
    const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'Le Quotidien' });
    const french = (
      await importArticle(app.ctx, { ...draft, headline: 'Le port de Marseille rouvre après la grève', sourceUrl: 'https://www.le-quotidien.example/port' }, { siteId: site.id })
    ).article;
    expect(Number(french.siteId)).toBe(site.id);

    const undecided = await createTestUser(app.ctx);
    const english = await createTestUser(app.ctx);
    await app.ctx.db.kysely.updateTable('users').set({ locale: 'en' }).where('id', '=', english.id).execute();
    const other = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx));
    for (const reader of [undecided, english]) {
      const parent = (await postComment(await signedInClient(app.ctx, app.baseUrl, reader), french.slug, `Premier mot de ${reader.displayName}.`)).id;
      await postComment(other, french.slug, `Une réponse à ${reader.displayName}.`, parent);
    }
    const toUndecided = await waitFor(() => smtp.mails.find((m) => m.to.includes(undecided.email)), 'the undecided reader’s reply mail');
    expect(toUndecided.text).toContain(`Bonjour ${undecided.displayName},`);
    const toEnglish = await waitFor(() => smtp.mails.find((m) => m.to.includes(english.email)), 'the English reader’s reply mail');
    expect(toEnglish.text).toContain(`Hello ${english.displayName},`);
  });
});
