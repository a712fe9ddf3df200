import type { VNode } from 'preact';
import { Icon } from '../ui/icon.tsx';
import type { PageChrome } from '../ui/chrome.ts';
import { Layout, type SiteInfo } from '../ui/layout.tsx';
import { jsonForScript } from '../ui/render.ts';
import { formatPublicationTimeIn } from './dates.ts';
import { useI18n } from '../i18n/view.ts';
import type { Article } from './model.ts';
import { articlePath } from './paths.ts';
import { ArticleBody, originOf } from './body-view.tsx';
import { WhosQuoted } from '../quotes/box.tsx';
import type { QuotedPerson } from '../quotes/model.ts';
import { paragraphToolsFor } from '../passages/views.tsx';

export type { PageChrome };


// Made once per language: a ListFormat loads locale data.
const authorLists = new Map<string, Intl.ListFormat>();

/** "A, B and C" in the reader's language (British English: no comma before "and"). */
export function authorNames(article: Article, locale = 'en'): string {
  const tag = locale === 'en' || locale.startsWith('en-') ? 'en-GB' : locale;
  let list = authorLists.get(tag);
  if (!list) authorLists.set(tag, (list = new Intl.ListFormat(tag, { style: 'long', type: 'conjunction' })));
  return list.format(article.authors.map((a) => a.name));
}

export function PublicationTime({ article }: { article: Article }) {
  const { locale } = useI18n();
  if (!article.publishedAt) return null;
  return <time dateTime={article.publishedAt.toISOString()}>{formatPublicationTimeIn(locale, article.publishedAt, article.timeZone)}</time>;
}

function articleJsonLd(article: Article, site: SiteInfo) {
  const url = `${site.publicUrl}${articlePath(article)}`;
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.headline,
    ...(article.standfirst ? { description: article.standfirst } : {}),
    ...(article.publishedAt ? { datePublished: article.publishedAt.toISOString() } : {}),
    dateModified: article.updatedAt.toISOString(),
    author: article.authors.map((a) => ({ '@type': 'Person', name: a.name })),
    ...(article.dateline ? { locationCreated: { '@type': 'Place', name: article.dateline } } : {}),
    ...(article.image?.src
      ? { image: { '@type': 'ImageObject', url: `${site.publicUrl}${article.image.src}`, caption: article.image.caption, ...(article.image.credit ? { creditText: article.image.credit } : {}) } }
      : {}),
    publisher: { '@type': 'Organization', name: article.publicationName ?? site.name },
    mainEntityOfPage: url,
    url,
    commentCount: article.commentCount,
    discussionUrl: `${url}#comments`,
  };
}

function ArticleHead({ article, site }: { article: Article; site: SiteInfo }) {
  const url = `${site.publicUrl}${articlePath(article)}`;
  return (
    <>
      <link rel="canonical" href={url} />
      <meta property="og:type" content="article" />
      <meta property="og:title" content={article.headline} />
      {article.standfirst ? <meta property="og:description" content={article.standfirst} /> : null}
      <meta property="og:url" content={url} />
      <meta property="og:site_name" content={site.name} />
      {article.image?.src ? <meta property="og:image" content={`${site.publicUrl}${article.image.src}`} /> : null}
      {article.image?.src ? <meta property="og:image:alt" content={article.image.alt} /> : null}
      {article.publishedAt ? <meta property="article:published_time" content={article.publishedAt.toISOString()} /> : null}
      {article.authors.map((a) => (
        <meta property="article:author" content={a.name} />
      ))}
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(articleJsonLd(article, site)) }} />
    </>
  );
}

/**
 * The hero picture. Without a copy of it (a text import names it but not its address; a copy still
 * being made or that failed) no empty box stands in for it: the caption and credit stay, marked by a
 * small picture icon that carries the alt text for assistive technology.
 */
function HeroImage({ image }: { image: NonNullable<Article['image']> }) {
  const { t } = useI18n();
  const caption =
    image.caption || image.credit ? (
      <figcaption>
        {image.src ? null : (
          <>
            <Icon name="image" label={image.alt || t('articles.picture')} class="article__picture-icon" />{' '}
          </>
        )}
        {image.caption}
        {image.credit ? (
          <>
            {' '}
            <span class="article__credit">({image.credit})</span>
          </>
        ) : null}
      </figcaption>
    ) : null;
  if (!image.src) return caption ? <figure class="article__figure article__figure--no-copy">{caption}</figure> : null;
  return (
    <figure class="article__figure">
      <img
        src={image.src}
        srcset={image.srcset.length > 1 ? image.srcset.map((v) => `${v.src} ${v.width}w`).join(', ') : undefined}
        // The article column is 42rem wide, less the page's 1rem margins on a narrow screen.
        sizes={image.srcset.length > 1 ? '(min-width: 44rem) 42rem, calc(100vw - 2rem)' : undefined}
        width={image.width ?? undefined}
        height={image.height ?? undefined}
        alt={image.alt}
        loading="eager"
        decoding="async"
      />
      {caption}
    </figure>
  );
}

export function ArticlePage({ article, chrome, comments, quoted, related, passageCounts }: { article: Article; chrome: PageChrome; comments?: VNode | null; quoted?: QuotedPerson[]; related?: VNode | null; passageCounts?: ReadonlyMap<number, number> | null }) {
  const { t, rich, locale } = useI18n();
  return (
    <Layout
      site={chrome.site}
      account={chrome.account}
      viewer={chrome.actor?.handle ?? null}
      islands={comments ? ['comments', ...(passageCounts ? ['passages'] : [])] : []}
      title={t('layout.title', { page: article.headline, site: article.publicationName ?? chrome.site.name })}
      description={article.standfirst ?? undefined}
      head={<ArticleHead article={article} site={chrome.site} />}
    >
      <article class="article" aria-labelledby="article-headline">
        <header>
          <h1 id="article-headline" class="article__headline">
            {article.headline}
          </h1>
          {article.standfirst ? <p class="article__standfirst">{article.standfirst}</p> : null}
          <div class="article__meta">
            {article.authors.length > 0 || article.dateline ? (
              <p class="article__byline">
                {article.authors.length > 0 ? <span class="article__author">{authorNames(article, locale)}</span> : null}
                {article.dateline ? <span class="article__dateline">{article.dateline}</span> : null}
              </p>
            ) : null}
            <PublicationTime article={article} />
            <a class="article__comments-link" href="#comments">
              {t('articles.article.comments')} <span class="article__comment-count">({article.commentCount})</span>
            </a>
          </div>
        </header>
        {article.image ? <HeroImage image={article.image} /> : null}
        <ArticleBody blocks={article.body} origin={originOf(chrome.site.publicUrl)} paragraphTools={comments && passageCounts ? paragraphToolsFor(article.slug, passageCounts) : null} />
        <WhosQuoted people={quoted} />
        {article.sourceUrl ? (
          <p class="article__source">
            {rich('articles.article.source', {
              by: article.publicationName ? 'publication' : 'none',
              publication: article.publicationName ?? '',
              link: (
                <a href={article.sourceUrl} rel="nofollow noopener">
                  {new URL(article.sourceUrl).host}
                </a>
              ),
            })}
          </p>
        ) : null}
      </article>
      {comments ?? <EmptyComments article={article} />}
      {related ?? null}
    </Layout>
  );
}

/** Until conversations exist the section is honest about being empty. */
function EmptyComments({ article }: { article: Article }) {
  const { t } = useI18n();
  return (
    <section id="comments" class="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">{t('articles.article.comments')}</h2>
      <p class="comments__empty">{t('articles.article.noComments', { open: article.commentsOpen ? 'yes' : 'no' })}</p>
    </section>
  );
}
