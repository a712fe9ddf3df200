// The story's blocks as HTML. Text goes through Preact, which escapes it; a link is written only for
// an address safeHref accepts, and links leaving the site pass no ranking and no opener.
import type { VNode } from 'preact';
import type { BodyBlock, InlineRun } from './model.ts';
import { isExternal, safeHref } from './body-blocks.ts';

function Runs({ runs, text, origin }: { runs: InlineRun[] | undefined; text: string; origin: string | null }) {
  if (!runs) return <>{text}</>;
  return (
    <>
      {runs.map((run) => {
        let node = <>{run.text}</>;
        if (run.emphasis) node = <em>{node}</em>;
        if (run.strong) node = <strong>{node}</strong>;
        const href = safeHref(run.href);
        if (href) node = <a href={href} rel={isExternal(href, origin) ? 'nofollow noopener' : undefined}>{node}</a>;
        return node;
      })}
    </>
  );
}

/**
 * Each block keeps the id `p-N` (its place in the body, from 1), which quotes and shared links
 * point at. `paragraphTools` (src/passages) puts the margin of each paragraph and quote just before
 * it, outside its text.
 */
export function ArticleBody({ blocks, origin, paragraphTools }: { blocks: BodyBlock[]; origin: string | null; paragraphTools?: ((paragraph: number) => VNode) | null }) {
  return (
    <div class="article__body">
      {blocks.map((block, i) => {
        const id = `p-${i + 1}`;
        switch (block.type) {
          case 'heading':
            return block.level === 2 ? <h2 id={id}>{block.text}</h2> : <h3 id={id}>{block.text}</h3>;
          case 'list': {
            const items = block.items.map((item) => (
              <li>
                <Runs runs={item.inline} text={item.text} origin={origin} />
              </li>
            ));
            return block.ordered ? <ol id={id}>{items}</ol> : <ul id={id}>{items}</ul>;
          }
          case 'quote':
            return (
              <>
                {paragraphTools?.(i + 1)}
                <blockquote id={id}>
                  <p>
                    <Runs runs={block.inline} text={block.text} origin={origin} />
                  </p>
                </blockquote>
              </>
            );
          default:
            return (
              <>
                {paragraphTools?.(i + 1)}
                <p id={id}>
                  <Runs runs={block.inline} text={block.text} origin={origin} />
                </p>
              </>
            );
        }
      })}
    </div>
  );
}

/** The origin of the site's public address, for telling our own links from the publisher's. */
export function originOf(publicUrl: string): string | null {
  try {
    return new URL(publicUrl).origin;
  } catch {
    return null;
  }
}
