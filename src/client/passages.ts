// "Discuss a passage" on the article page: select words inside one paragraph and a Discuss button
// appears by them; it leads to the paragraph's page with the composer quoting those words. Without
// JavaScript (and on touch screens, where selecting is awkward) each paragraph's own Discuss link in
// the margin does the same for the whole paragraph.
import { selectorAt } from '../passages/model.ts';
import type { PassageIslandMessages } from '../passages/views.tsx';

/** The button's words in the page's language: the server puts them on the first margin (passages/views.tsx). */
function readMessages(): PassageIslandMessages {
  const fallback: PassageIslandMessages = { discuss: 'Discuss', discussQuote: 'Discuss “{quote}”' };
  const raw = document.querySelector<HTMLElement>('[data-passage-messages]')?.dataset.passageMessages;
  try {
    return { ...fallback, ...(raw ? (JSON.parse(raw) as Partial<PassageIslandMessages>) : {}) };
  } catch {
    return fallback;
  }
}

const body = document.querySelector<HTMLElement>('.article__body');
if (body) {
  const messages = readMessages();
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button--primary passage-discuss';
  button.textContent = messages.discuss;
  button.hidden = true;
  document.body.append(button);
  let target: string | null = null;

  /** The margin's Discuss link of the paragraph (id p-N) holding this node, if it has one. */
  const discussLinkOf = (block: Element) => {
    const tools = block.previousElementSibling;
    return tools?.matches('[data-passage-tools]') ? tools.querySelector<HTMLAnchorElement>('.passage-tools__discuss') : null;
  };
  const blockOf = (node: Node): HTMLElement | null => {
    const element = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
    const block = element?.closest<HTMLElement>('[id^="p-"]') ?? null;
    return block && body.contains(block) && discussLinkOf(block) ? block : null;
  };

  const textOf = (fragment: DocumentFragment) => fragment.textContent ?? '';

  const hide = () => {
    button.hidden = true;
    target = null;
  };

  const update = () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return hide();
    const range = selection.getRangeAt(0);
    const block = blockOf(range.startContainer);
    if (!block || blockOf(range.endContainer) !== block) return hide();
    // Offsets in the paragraph's text (what the article stores): the text before the selection, and its own.
    const before = document.createRange();
    before.setStart(block, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = textOf(before.cloneContents()).length;
    const end = start + textOf(range.cloneContents()).length;
    const whole = document.createRange();
    whole.selectNodeContents(block);
    const selector = selectorAt(textOf(whole.cloneContents()), start, end);
    if (selector.exact === '') return hide();
    const link = discussLinkOf(block)!;
    const url = new URL(link.href, location.href);
    url.hash = 'compose';
    url.search = new URLSearchParams({ exact: selector.exact, prefix: selector.prefix, suffix: selector.suffix }).toString();
    target = url.toString();
    const rect = range.getBoundingClientRect();
    button.style.top = `${rect.bottom + window.scrollY + 6}px`;
    button.style.left = `${Math.max(8, rect.left + window.scrollX)}px`;
    const quote = selector.exact.length > 60 ? `${selector.exact.slice(0, 57)}…` : selector.exact;
    // A function replacer: the quote's own `$` signs stay as they are.
    button.setAttribute('aria-label', messages.discussQuote.replace('{quote}', () => quote));
    button.hidden = false;
  };

  let pending = 0;
  document.addEventListener('selectionchange', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(update);
  });
  // Pressing the button must not clear the selection it is about.
  button.addEventListener('pointerdown', (event) => event.preventDefault());
  button.addEventListener('mousedown', (event) => event.preventDefault());
  button.addEventListener('click', () => {
    if (target) location.assign(target);
  });
}
