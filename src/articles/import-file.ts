import path from 'node:path';
import { looksLikeHtml } from './html-detect.ts';
import type { Explanation } from './extract/candidates.ts';
import { explainTextArticle } from './import-text.ts';
import { ImportError, type ArticleDraft } from './model.ts';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export interface ImportOptions {
  defaultTimeZone?: string;
  publicationName?: string;
  /** Where an HTML page was fetched from: the base for its relative addresses, and its source URL when it names none. */
  url?: string;
}

/** Detects the file's format (HTML or a page copied as text) and parses it, or says what is wrong. */
export async function parseArticleFile(content: Buffer, fileName: string, options: ImportOptions = {}): Promise<ArticleDraft> {
  return (await explainArticleFile(content, fileName, options)).draft;
}

/** parseArticleFile, with the candidates for headline, authors and date and why the winners won. */
export async function explainArticleFile(content: Buffer, fileName: string, options: ImportOptions = {}): Promise<{ draft: ArticleDraft; explanation: Explanation }> {
  if (content.length === 0) throw new ImportError({ key: 'articles.importError.empty' });
  if (content.length > MAX_IMPORT_BYTES) {
    throw new ImportError({ key: 'articles.importError.tooBig', values: { size: content.length / 1024 / 1024 } });
  }
  if (content.includes(0)) throw new ImportError({ key: 'articles.importError.binary' });
  const text = new TextDecoder('utf-8', { fatal: false }).decode(content);
  // Many replacement characters mean the bytes were not UTF-8 text at all.
  const replacements = text.split('\uFFFD').length - 1;
  if (replacements > 0 && replacements / text.length > 0.01) throw new ImportError({ key: 'articles.importError.notUtf8' });
  if (text.trim() === '') throw new ImportError({ key: 'articles.importError.empty' });

  const extension = path.extname(fileName).toLowerCase();
  const isHtml = extension === '.html' || extension === '.htm' || looksLikeHtml(text);
  // jsdom and Readability take a second to load: only HTML files pay for them.
  const { draft, explanation } = isHtml
    ? (await import('./import-html.ts')).explainHtmlArticle(text, { defaultTimeZone: options.defaultTimeZone, url: options.url })
    : explainTextArticle(text, { defaultTimeZone: options.defaultTimeZone });
  if (!draft.publicationName && options.publicationName) draft.publicationName = options.publicationName;
  return { draft, explanation };
}
