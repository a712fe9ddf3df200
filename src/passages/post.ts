import type { Article } from '../articles/model.ts';
import { HttpError } from '../http/errors.ts';
import { resolvePassage, type Passage, type PassageRequest } from './model.ts';
import { paragraphTexts } from './store.ts';

/**
 * The passage a new comment quotes, checked against the article as it is now; a clear 400 when the
 * request is malformed, the words are not in the article, or the comment is a reply (a reply answers
 * a comment: only a new thread quotes the article).
 */
export function passageForPost(article: Pick<Article, 'body'>, parentId: number | null, request: PassageRequest | null | undefined): Passage | null {
  if (!request) return null;
  if (parentId !== null) throw HttpError.translated(400, 'invalid_passage', 'passages.problem.reply');
  const result = resolvePassage(paragraphTexts(article.body), request);
  if ('problem' in result) throw HttpError.translated(400, 'invalid_passage', result.problem.key, result.problem.values);
  return result.passage;
}
