import type { ConversationSummary } from '../conversations/model.ts';
import { ConversationBox, type ConversationLink } from '../ui/conversation-box.tsx';
import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import type { Article, ArticleImage } from './model.ts';
import { articlePath } from './paths.ts';
import { authorNames, PublicationTime } from './views.tsx';
import { useI18n } from '../i18n/view.ts';

// The front page: the latest stories (with their pictures), and beside them the conversations that
// are alive: the most discussed and those active in the last hour.

/** A conversation as the boxes link it. */
export const conversationLink = (c: ConversationSummary): ConversationLink => ({ headline: c.headline, href: articlePath(c), commentCount: c.commentCount });

/** The width the front page shows: the narrowest copy the media pipeline makes. */
const TEASER_WIDTH = 480;

/** The 480-pixel copy of the lead picture with its size, or null while there is no copy to show. */
export function teaserPicture(image: ArticleImage | null): { src: string; width: number; height: number | undefined; alt: string } | null {
  if (!image?.src || image.srcset.length === 0) return null;
  const copy = image.srcset.find((v) => v.width === TEASER_WIDTH) ?? image.srcset[0]!;
  const height = image.width && image.height ? Math.max(1, Math.round((copy.width * image.height) / image.width)) : undefined;
  return { src: copy.src, width: copy.width, height, alt: image.alt };
}

function StoryPicture({ article, eager }: { article: Article; eager: boolean }) {
  const picture = teaserPicture(article.image);
  if (!picture) return null;
  return <img class="story__picture" src={picture.src} width={picture.width} height={picture.height} alt={picture.alt} loading={eager ? 'eager' : 'lazy'} decoding="async" />;
}

export interface FrontPageProps {
  articles: Article[];
  chrome: PageChrome;
  nextHref: string | null;
  mostDiscussed: ConversationSummary[];
  active: ConversationSummary[];
}

export function FrontPage({ articles, chrome, nextHref, mostDiscussed, active }: FrontPageProps) {
  const { t, rich, locale } = useI18n();
  return (
    <Layout
      site={chrome.site}
      account={chrome.account}
      viewer={chrome.actor?.handle ?? null}
      title={t('layout.feedTitle', { site: chrome.site.name })}
      description={t('articles.front.description', { site: chrome.site.name })}
      head={<link rel="canonical" href={`${chrome.site.publicUrl}/`} />}
    >
      <div class="front">
        <section class="front__latest" aria-labelledby="front-latest">
          <h1 id="front-latest" class="front__title">
            {t('articles.front.heading')}
          </h1>
          {articles.length === 0 ? (
            <p class="empty-state">{rich('articles.front.empty', { command: <code>npx parley import FILE</code> })}</p>
          ) : (
            <ol class="story-list">
              {articles.map((article, i) => (
                <li class="story">
                  {/* The first pictures are on screen at once; the others wait until scrolled to. */}
                  <StoryPicture article={article} eager={i < 2} />
                  <h2 class="story__headline">
                    <a href={articlePath(article)}>{article.headline}</a>
                  </h2>
                  {article.standfirst ? <p class="story__standfirst">{article.standfirst}</p> : null}
                  <p class="story__meta">
                    {article.authors.length > 0 ? <>{authorNames(article, locale)} · </> : null}
                    <PublicationTime article={article} />
                    {article.publishedAt ? ' · ' : null}
                    <a href={`${articlePath(article)}#comments`}>{t('articles.commentCount', { count: article.commentCount })}</a>
                  </p>
                </li>
              ))}
            </ol>
          )}
          {nextHref ? (
            <nav class="pager" aria-label={t('articles.front.more')}>
              <a href={nextHref} rel="next">
                {t('articles.front.older')}
              </a>
            </nav>
          ) : null}
        </section>
        <aside class="front__aside" aria-label={t('articles.front.conversations')}>
          <ConversationBox id="front-most-discussed" title={t('articles.box.mostDiscussed')} conversations={mostDiscussed.map(conversationLink)} empty={t('articles.box.mostDiscussedEmpty')} />
          <ConversationBox id="front-active" title={t('articles.box.active')} conversations={active.map(conversationLink)} empty={t('articles.box.activeEmpty')} />
        </aside>
      </div>
    </Layout>
  );
}
