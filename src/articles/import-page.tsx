import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import { HttpError } from '../http/errors.ts';
import { fetchPublic, FetchRefused } from '../http/outbound.ts';
import { canImportArticles } from '../moderation/policy.ts';
import { check } from '../moderation/requests.ts';
import type { ChromeFactory, PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { renderDocument } from '../ui/render.ts';
import { useI18n } from '../i18n/view.ts';
import type { Translator } from '../i18n/translator.ts';
import { importArticle } from './commands.ts';
import { MAX_IMPORT_BYTES, parseArticleFile } from './import-file.ts';
import { ImportError } from './model.ts';
import { findArticleBySlug } from './store.ts';
import { articlePath } from './paths.ts';

// /import: the newsroom imports an article from the browser, as `parley import` does from a shell: a
// saved web page (HTML) or a page copied as text, detected from the file itself; or the story's
// address, fetched through the guarded outbound fetch (public addresses only). Importing the same
// story again updates it. The upload is the only multipart form on the site, so the parser for it is
// registered in this plugin alone.

const FIELD = 'article';
const UPLOAD_PATH = '/import';

function ImportPage({ chrome, error, imported, address }: { chrome: PageChrome; error?: string | null; imported?: { href: string; headline: string; created: boolean } | null; address?: string }) {
  const { t, rich } = useI18n();
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={t('articles.import.title', { site: chrome.site.name })}>
      <section class="admin">
        <h1>{t('articles.import.heading')}</h1>
        {error ? (
          <p class="composer__error" role="alert">
            {error}
          </p>
        ) : null}
        {imported ? (
          <p role="status">
            {rich('articles.import.done', { created: imported.created ? 'yes' : 'no', link: <a href={imported.href}>{imported.headline}</a> })}
          </p>
        ) : null}
        <p>{t('articles.import.intro')}</p>
        <form method="post" action="/import" enctype="multipart/form-data" class="admin-form">
          <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
          <label for="import-file">{t('articles.import.file')}</label>
          <input id="import-file" name={FIELD} type="file" accept=".html,.htm,.txt,text/html,text/plain" required />
          <button type="submit">{t('articles.import.submit')}</button>
        </form>
        <h2>{t('articles.import.addressHeading')}</h2>
        <form method="post" action="/import/address" class="admin-form">
          <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
          <label for="import-address">{t('articles.import.address')}</label>
          <input id="import-address" name="address" type="url" required maxLength={2000} placeholder={t('articles.import.addressPlaceholder')} value={address ?? ''} />
          <button type="submit">{t('articles.import.fetch')}</button>
        </form>
      </section>
    </Layout>
  );
}

export async function importPageRoutes(app: FastifyInstance, { ctx, chrome }: { ctx: AppContext; chrome: ChromeFactory }) {
  // Fields as plain values (the CSRF check reads `_csrf` from the body), the file as a Buffer.
  // A browser submitting the form with no file chosen still sends the file part, with an empty name
  // and no bytes; the name tells it from a chosen file that is empty.
  const fileNames = new WeakMap<object, string>();
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    async onFile(part) {
      fileNames.set(this, part.filename);
      await part.toBuffer();
    },
    limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 4, fieldSize: 1000, parts: 5 },
  });
  // The upload's parser (busboy) reports a body cut off or not multipart at all ("Unexpected end of
  // multipart data", "Boundary not found") as a plain Error: any error with no HTTP status that comes
  // before the body was read whole is the client's body, answered 400, not a 500.
  const bodyRead = new WeakSet<FastifyRequest>();
  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, _reply) => {
    if (error.code === 'FST_REQ_FILE_TOO_LARGE') throw HttpError.translated(413, 'file_too_large', 'articles.import.tooLarge');
    if (error.code?.startsWith('FST_') && error.statusCode === 413) throw HttpError.translated(413, 'too_many_parts', 'articles.import.oneFile');
    if (error.statusCode === undefined && request.routeOptions.url === UPLOAD_PATH && request.method === 'POST' && !bodyRead.has(request)) throw HttpError.translated(400, 'unreadable_upload', 'articles.import.unreadable');
    throw error;
  });
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const page = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').send(body);

  api.get('/import', { schema: { hide: true, querystring: Type.Object({ imported: Type.Optional(Type.String({ maxLength: 300 })), created: Type.Optional(Type.String({ maxLength: 5 })) }) } }, async (request, reply) => {
    check(canImportArticles(request.actor));
    const article = request.query.imported ? await findArticleBySlug(ctx.db.kysely, request.query.imported) : null;
    const imported = article ? { href: articlePath(article), headline: article.headline, created: request.query.created === '1' } : null;
    return page(reply, 200, renderDocument(<ImportPage chrome={chrome(request, reply)} imported={imported} />, request.i18n));
  });

  async function publish(reply: FastifyReply, i18n: Translator, content: Buffer, options: { name: string; url?: string }, refuse: (message: string) => unknown) {
    let draft;
    try {
      draft = await parseArticleFile(content, options.name, { url: options.url });
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      // The importer's reason, in the reader's language, inside a sentence whole in the catalog.
      return refuse(i18n.t('articles.import.refused', { what: options.url ? 'page' : 'file', reason: error.messageIn(i18n) }));
    }
    const { article, created } = await importArticle(ctx, draft);
    return reply.redirect(`/import?imported=${encodeURIComponent(article.slug)}&created=${created ? 1 : 0}`, 303);
  }

  api.post(
    UPLOAD_PATH,
    {
      schema: { hide: true },
      // Refused before the upload is read: nobody but the newsroom makes the server parse 5 MB.
      onRequest: async (request) => check(canImportArticles(request.actor)),
      preValidation: async (request) => void bodyRead.add(request),
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const file = body[FIELD];
      const refuse = (message: string) => page(reply, 400, renderDocument(<ImportPage chrome={chrome(request, reply)} error={message} />, request.i18n));
      if (!Buffer.isBuffer(file) || (file.length === 0 && !fileNames.get(request))) return refuse(request.i18n.t('articles.import.chooseFile'));
      // The name a browser sends is not needed: the importer tells HTML from text by the content.
      return publish(reply, request.i18n, file, { name: 'upload' }, refuse);
    },
  );

  api.post('/import/address', { schema: { hide: true, body: Type.Object({ address: Type.String({ maxLength: 2000 }) }) } }, async (request, reply) => {
    check(canImportArticles(request.actor));
    const address = request.body.address.trim();
    const { t } = request.i18n;
    const refuse = (message: string) => page(reply, 422, renderDocument(<ImportPage chrome={chrome(request, reply)} error={message} address={address} />, request.i18n));
    let fetched;
    try {
      fetched = await fetchPublic(address, { allowPrivate: ctx.config.fetchAllowPrivate, maxBytes: MAX_IMPORT_BYTES, accept: 'text/html, text/plain;q=0.8', what: 'the page' });
    } catch (error) {
      if (!(error instanceof FetchRefused)) throw error;
      return refuse(t('articles.import.addressRefused', { reason: error.messageIn(request.i18n), permanent: error.permanent ? 'yes' : 'no' }));
    }
    const isHtml = fetched.declaredType === 'text/html' || fetched.declaredType === 'application/xhtml+xml';
    if (!isHtml && fetched.declaredType !== 'text/plain' && fetched.declaredType !== '') {
      return refuse(t('articles.import.notPage', { type: fetched.declaredType }));
    }
    return publish(reply, request.i18n, fetched.bytes, { name: isHtml ? 'page.html' : 'page.txt', url: fetched.url }, refuse);
  });
}
