import type { Article } from '../articles/model.ts';
import { badRequest } from '../http/errors.ts';
import { resolvePassage, type Passage, type PassageRequest } from './model.ts';
import { paragraphTexts } from './store.ts';

/**
 * The passage a new comment quotes, checked against the article as it is now; a clear 400 when the
 * request is malformed, the words are not in the article, or the comment is a reply (a reply answers
 * a comment: only a new thread quotes the article).
 */
export function passageForPost(article: Pick<Article, 'body'>, parentId: number | null, request: PassageRequest | null | undefined): Passage | null {
  if (!request) return null;
  if (parentId !== null) throw badRequest('A reply answers a comment: only a new comment can quote a passage of the article.', 'invalid_passage');
  const result = resolvePassage(paragraphTexts(article.body), request);
  if ('problem' in result) throw badRequest(result.problem, 'invalid_passage');
  return result.passage;
}
