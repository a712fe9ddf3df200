import { Type, type Static } from 'typebox';
import type { Article } from './model.ts';
import { articlePath } from './paths.ts';

const InlineRunJson = Type.Object(
  {
    text: Type.String(),
    href: Type.Optional(Type.String({ description: 'An absolute http(s) or mailto address' })),
    emphasis: Type.Optional(Type.Boolean()),
    strong: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const Inline = Type.Optional(Type.Array(InlineRunJson, { description: 'Present when the text has links or emphasis; the runs spell the text' }));

const BodyBlockJson = Type.Union([
  Type.Object({ type: Type.Literal('paragraph'), text: Type.String(), inline: Inline }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('heading'), level: Type.Union([Type.Literal(2), Type.Literal(3)]), text: Type.String() }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('list'),
      ordered: Type.Boolean(),
      items: Type.Array(Type.Object({ text: Type.String(), inline: Inline }, { additionalProperties: false })),
      text: Type.String({ description: "The items' texts, one per line" }),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('quote'), text: Type.String(), inline: Inline }, { additionalProperties: false }),
]);

// The public shape of an article in the API; the same schema documents and checks the response.
export const ArticleJson = Type.Object(
  {
    slug: Type.String(),
    site: Type.String({ description: "The key of the site (publication) the article belongs to; the embed's data-site" }),
    url: Type.String({ description: "The article page's path on this site" }),
    headline: Type.String(),
    standfirst: Type.Union([Type.String(), Type.Null()]),
    authors: Type.Array(Type.Object({ name: Type.String() })),
    dateline: Type.Union([Type.String(), Type.Null()]),
    publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    timeZone: Type.String({ description: 'IANA zone the publication shows times in' }),
    image: Type.Union([
      Type.Object({
        src: Type.Union([Type.String(), Type.Null()], { description: "The picture's path on this site (Parley serves its own copy, at its widest); null until the copy is made or when no address was known" }),
        alt: Type.String(),
        caption: Type.String(),
        credit: Type.Union([Type.String(), Type.Null()]),
        width: Type.Union([Type.Integer(), Type.Null()], { description: "The picture's width in pixels, for its aspect ratio" }),
        height: Type.Union([Type.Integer(), Type.Null()]),
        srcset: Type.Array(Type.Object({ src: Type.String(), width: Type.Integer() }), { description: 'Every width of the copy, narrowest first' }),
      }),
      Type.Null(),
    ]),
    body: Type.Array(BodyBlockJson, { description: 'The story as blocks; every block has its plain text, and inline runs when it has links or emphasis' }),
    commentCount: Type.Integer(),
    commentsOpen: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ArticleJson = Static<typeof ArticleJson>;

/** `siteKey`: the key of the article's site (src/sites), which the article itself knows by id. */
export function presentArticle(article: Article, siteKey: string): ArticleJson {
  return {
    slug: article.slug,
    site: siteKey,
    url: articlePath(article),
    headline: article.headline,
    standfirst: article.standfirst,
    authors: article.authors.map((a) => ({ name: a.name })),
    dateline: article.dateline,
    publishedAt: article.publishedAt ? article.publishedAt.toISOString() : null,
    timeZone: article.timeZone,
    image: article.image
      ? {
          src: article.image.src,
          alt: article.image.alt,
          caption: article.image.caption,
          credit: article.image.credit,
          width: article.image.width,
          height: article.image.height,
          srcset: article.image.srcset.map((v) => ({ src: v.src, width: v.width })),
        }
      : null,
    body: article.body.map((b) => structuredClone(b)),
    commentCount: article.commentCount,
    commentsOpen: article.commentsOpen,
  };
}
