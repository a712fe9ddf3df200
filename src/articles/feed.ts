import type { Feed as FeedClass } from 'feed';
import { Fragment, h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { SiteInfo } from '../ui/layout.tsx';
import type { Article } from './model.ts';
import { articlePath } from './paths.ts';
import { lazyModule } from '../lazy-module.ts';
import { createTranslator, type Translator } from '../i18n/index.ts';

// feed (with its XML writer) loads with the first feed asked for, not with the server.
const feedPackage = lazyModule<{ Feed: typeof FeedClass }>('feed');

/**
 * The latest stories as Atom 1.0, built by the `feed` library so that escaping is not ours to get wrong;
 * its own words (and its declared language) in the asker's language, the stories as they were written.
 */
export function renderAtomFeed(articles: Article[], site: SiteInfo, i18n: Translator = createTranslator('en')): string {
  const newest = articles[0];
  const feed = new (feedPackage().Feed)({
    title: site.name,
    description: i18n.t('articles.feed.description', { site: site.name }),
    id: `${site.publicUrl}/`,
    link: `${site.publicUrl}/`,
    language: i18n.locale,
    copyright: '',
    updated: newest ? newest.updatedAt : new Date(0),
    feedLinks: { atom: `${site.publicUrl}/feed.xml` },
  });
  for (const article of articles) {
    const url = `${site.publicUrl}${articlePath(article)}`;
    feed.addItem({
      title: article.headline,
      id: url,
      link: url,
      description: article.standfirst ?? undefined,
      content: renderToString(h(Fragment, null, ...article.body.map((b) => h('p', null, b.text)))),
      author: article.authors.map((a) => ({ name: a.name })),
      date: article.updatedAt,
      published: article.publishedAt ?? article.createdAt,
    });
  }
  return feed.atom1();
}
