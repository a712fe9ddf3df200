import type { ArticleDraft } from '../../src/articles/model.ts';

/** A one-paragraph story with a byline and a source address, for tests about sites and addresses. */
export const storyDraft = (headline: string, sourceUrl: string): ArticleDraft => ({
  headline,
  standfirst: null,
  authors: [{ name: 'Sam Writer' }],
  dateline: null,
  publishedAt: new Date('2024-05-01T10:00:00Z'),
  timeZone: 'UTC',
  image: null,
  body: [{ type: 'paragraph', text: 'A paragraph of the story.' }],
  sourceUrl,
  publicationName: null,
});
