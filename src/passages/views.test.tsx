import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/index.ts';
import { I18nContext } from '../i18n/view.ts';
import { ParagraphTools, paragraphToolsFor, PassageQuote } from './views.tsx';

// The quote and the margin as other pages place them: what a reader can follow, and what they are told.

const passage = { exact: 'created <serious> mistrust', prefix: '', suffix: '', paragraph: 3, changed: false };

describe('the quote above a comment', () => {
  it('links the quoted words back to their paragraph, escaped, and opens Parley’s page from a frame', () => {
    const html = renderToString(<PassageQuote passage={passage} slug="a story" />);
    expect(html).toContain('href="/articles/a%20story#p-3"');
    expect(html).toContain('created &lt;serious> mistrust');
    expect(html).not.toContain('target=');
    expect(renderToString(<PassageQuote passage={passage} slug="a story" embedded />)).toContain('target="_blank" rel="noopener"');
  });

  it('keeps the words of a passage the article no longer contains, unlinked, and says so', () => {
    const html = renderToString(<PassageQuote passage={{ ...passage, changed: true }} slug="a-story" />);
    expect(html).toContain('This passage was changed');
    expect(html).toContain('created &lt;serious> mistrust');
    expect(html).not.toContain('href=');
  });

  it('is nothing for a comment without a passage', () => {
    expect(renderToString(<PassageQuote passage={null} slug="a-story" />)).toBe('');
  });
});

describe('the margin of a paragraph', () => {
  it('shows the count only when comments discuss the paragraph, and always a Discuss link named for it', () => {
    const none = renderToString(<ParagraphTools slug="a-story" paragraph={2} count={0} />);
    expect(none).not.toContain('passage-tools__count');
    expect(none).toContain('href="/articles/a-story/passages/2#compose"');
    expect(none).toContain('aria-label="Discuss paragraph 2"');
    const some = renderToString(<ParagraphTools slug="a-story" paragraph={2} count={5} />);
    expect(some).toContain('href="/articles/a-story/passages/2"');
    expect(some).toContain('aria-label="5 comments on this paragraph"');
    expect(some).toContain('data-passage-count="5"');
    expect(renderToString(<ParagraphTools slug="a-story" paragraph={2} count={1} />)).toContain('1 comment on this paragraph');
  });
});

describe('in the reader’s language', () => {
  const french = (node: VNode) => renderToString(<I18nContext.Provider value={createTranslator('fr')}>{node}</I18nContext.Provider>);

  it('says the margin and the changed passage in French, the count agreeing with its number', () => {
    expect(french(<ParagraphTools slug="a-story" paragraph={2} count={1} />)).toContain('aria-label="1 commentaire sur ce paragraphe"');
    const many = french(<ParagraphTools slug="a-story" paragraph={2} count={3} />);
    expect(many).toContain('aria-label="3 commentaires sur ce paragraphe"');
    expect(many).toContain('aria-label="Réagir au paragraphe 2"');
    expect(french(<PassageQuote passage={{ ...passage, changed: true }} slug="a-story" />)).toContain('Ce passage a été modifié\u202f: l’article ne dit plus cela.');
  });

  it('gives the island its words on the first margin of the page only', () => {
    const tools = paragraphToolsFor('a-story', new Map());
    const html = french(
      <div>
        {tools(1)}
        {tools(2)}
        {tools(3)}
      </div>,
    );
    expect(html.match(/data-passage-messages=/g)).toHaveLength(1);
    expect(html).toMatch(/data-paragraph="1" data-passage-messages="\{&quot;discuss&quot;:&quot;Réagir&quot;,&quot;discussQuote&quot;:&quot;Réagir à «\u202f\{quote\}\u202f»&quot;\}"/);
  });
});
