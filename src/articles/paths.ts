import type { Article } from './model.ts';

export const articlePath = (article: Pick<Article, 'slug'>) => `/articles/${encodeURIComponent(article.slug)}`;
