import type { ComponentChildren, VNode } from 'preact';
import { clientScript } from './client-assets.ts';
import { FAVICON, ICONS, MANIFEST_PATH } from './icons.ts';
import { htmlLang } from '../i18n/request.ts';
import { textDirection } from '../i18n/locales.ts';
import { useI18n } from '../i18n/view.ts';

export interface SiteInfo {
  name: string;
  publicUrl: string;
}

export interface LayoutProps {
  site: SiteInfo;
  title: string;
  description?: string;
  /** Extra elements for <head>: canonical link, Open Graph, JSON-LD. */
  head?: VNode | VNode[];
  /** The header's account area; the accounts feature fills it. */
  account?: VNode | null;
  /** Client islands this page needs beyond the site-wide one (names of src/client entries). */
  islands?: string[];
  /** Marks the page's reader for the site island, which keeps every open tab's header in step. */
  viewer?: string | null;
  children: ComponentChildren;
}

/** What every document's head starts with, Parley's pages and the embedded frame alike. */
export function BaseHead({ title }: { title: string }) {
  return (
    <>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <link rel="stylesheet" href="/assets/parley.css" />
      <link rel="icon" href={FAVICON.path} sizes="48x48" />
      <link rel="icon" href={ICONS.svg.path} type="image/svg+xml" />
      <link rel="apple-touch-icon" href={ICONS.appleTouch.path} />
      <link rel="manifest" href={MANIFEST_PATH} />
    </>
  );
}

export function Layout({ site, title, description, head, account, islands = [], viewer = null, children }: LayoutProps) {
  // The bell island keeps the header's unread count live for signed-in readers (community/bell.ts).
  const scripts = ['site', ...(viewer ? ['bell'] : []), ...islands].map(clientScript).filter((src): src is string => src !== null);
  const { t, locale } = useI18n();
  return (
    <html lang={htmlLang(locale)} dir={textDirection(locale)}>
      <head>
        <BaseHead title={title} />
        {description ? <meta name="description" content={description} /> : null}
        <link rel="alternate" type="application/atom+xml" title={t('layout.feedTitle', { site: site.name })} href="/feed.xml" />
        <meta name="parley-viewer" content={viewer ?? ''} />
        {head}
        {scripts.map((src) => (
          <script type="module" src={src} />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('layout.skipLink')}
        </a>
        <header class="site-header">
          <div class="site-header__inner">
            <a class="site-name" href="/">
              {site.name}
            </a>
            <nav aria-label={t('layout.accountNav')} class="site-account">
              {account ?? null}
            </nav>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <p>
            {site.name} · <a href="/feed.xml">{t('layout.footer.feed')}</a> · <a href="/api/v1/openapi.json">{t('layout.footer.api')}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

export function ErrorPage({ site, status, message }: { site: SiteInfo; status: number; message: string }) {
  const { t } = useI18n();
  const heading = t('errors.page.heading', { kind: status === 404 ? 'notFound' : status >= 500 ? 'server' : 'other' });
  return (
    <Layout site={site} title={t('layout.title', { page: heading, site: site.name })}>
      <section class="error-page">
        <h1>{heading}</h1>
        <p>{message}</p>
        <p>
          <a href="/">{t('errors.page.home')}</a>
        </p>
      </section>
    </Layout>
  );
}
