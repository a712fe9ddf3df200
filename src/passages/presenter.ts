import { Type, type Static } from 'typebox';
import type { Passage } from './model.ts';

// A passage in the API: the W3C Web Annotation TextQuoteSelector's fields, the paragraph's number
// (its #p-N anchor) and whether the article still contains it.

export const PassageJson = Type.Object(
  {
    exact: Type.String({ description: 'The words quoted' }),
    prefix: Type.String({ description: 'The text just before them in the article' }),
    suffix: Type.String({ description: 'The text just after them' }),
    paragraph: Type.Integer({ minimum: 1, description: 'The paragraph they are in: its anchor on the article page is #p-N' }),
    changed: Type.Boolean({ description: 'The article was edited and no longer contains the passage' }),
  },
  { additionalProperties: false },
);
export type PassageJson = Static<typeof PassageJson>;

/** What a client sends to quote a passage: the words, optionally their context and paragraph. */
export const PassageInputJson = Type.Object(
  {
    exact: Type.String({ minLength: 1, maxLength: 5000, description: 'The words quoted; they must be in the article as it is now' }),
    prefix: Type.Optional(Type.String({ maxLength: 200 })),
    suffix: Type.Optional(Type.String({ maxLength: 200 })),
    paragraph: Type.Optional(Type.Integer({ minimum: 1, description: 'The paragraph the words were selected in (#p-N)' })),
  },
  { additionalProperties: false },
);
export type PassageInputJson = Static<typeof PassageInputJson>;

export function presentPassage(passage: Passage | null | undefined): PassageJson | null {
  if (!passage) return null;
  return { exact: passage.exact, prefix: passage.prefix, suffix: passage.suffix, paragraph: passage.paragraph, changed: passage.changed };
}
