import { headingMarkdown, imageMarkdown, isMention, linkMarkdown, TURNDOWN_OPTIONS } from './body-rules.ts';
import { textOf, type SimpleElement, type SimpleNode, type SimpleText } from './simple-html.ts';

// Turndown 7.2's conversion, step for step, for the trees simple-html.ts builds (only the tags it
// lets through) and with our options and rules (body-rules.ts). The same steps, not the same code:
// each node's text is computed once instead of on every question, tag sets are Sets, and the
// thirteen escaping passes over each text are one. test/migrate-comments/bodies.test.ts holds this
// to turndown's own output on the real exports and on generated bodies, so a turndown upgrade that
// writes otherwise is caught there.

const BLOCK = new Set(['address', 'article', 'aside', 'audio', 'blockquote', 'body', 'canvas', 'center', 'dd', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'html', 'isindex', 'li', 'main', 'menu', 'nav', 'noframes', 'noscript', 'ol', 'output', 'p', 'pre', 'section', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul']);
const VOID = new Set(['area', 'base', 'br', 'col', 'command', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const MEANINGFUL_WHEN_BLANK = new Set(['a', 'table', 'thead', 'tbody', 'tfoot', 'th', 'td', 'iframe', 'script', 'audio', 'video']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

const isElement = (node: SimpleNode | null): node is SimpleElement => node?.nodeType === 1;
const isBlock = (node: SimpleNode) => isElement(node) && BLOCK.has(node.name);

// ---- turndown's escape: thirteen replacements in a row, of which the anchored ones only ever see
// the text's first characters, which the others never change.
const ESCAPED_ANYWHERE = /[\\*`[\]_]/;
const ESCAPED_ANYWHERE_ALL = /[\\*`[\]_]/g;
const ORDERED_ITEM = /^(\d+)\. /;

export function escapeMarkdown(text: string): string {
  let out = ESCAPED_ANYWHERE.test(text) ? text.replace(ESCAPED_ANYWHERE_ALL, '\\$&') : text;
  switch (out[0]) {
    case '-':
    case '=':
    case '>':
      return `\\${out}`;
    case '+':
      return out[1] === ' ' ? `\\${out}` : out;
    case '#':
      return /^#{1,6} /.test(out) ? `\\${out}` : out;
    case '~':
      return out.startsWith('~~~') ? `\\${out}` : out;
    default:
      if (out[0] !== undefined && out[0] >= '0' && out[0] <= '9') out = out.replace(ORDERED_ITEM, '$1\\. ');
      return out;
  }
}

// ---- collapseWhitespace (turndown's copy of collapse-whitespace): the same walk, in which an
// element with children is met on the way in and again on the way out.
function nextInWalk(prev: SimpleNode | null, current: SimpleNode): SimpleNode {
  if ((prev && prev.parentNode === current) || (isElement(current) && current.name === 'pre')) return (current.nextSibling ?? current.parentNode)!;
  return ((isElement(current) ? current.firstChild : null) ?? current.nextSibling ?? current.parentNode)!;
}

function removeFromWalk(node: SimpleNode): SimpleNode {
  const next = (node.nextSibling ?? node.parentNode)!;
  node.parentNode!.removeChild(node);
  return next;
}

// Runs of white space become one space; a text with none to fold is left as it is (the usual case).
const FOLDABLE = /[\r\n\t]| {2}/;
const fold = (text: string) => (FOLDABLE.test(text) ? text.replace(/[ \r\n\t]+/g, ' ') : text);
/** Without its one trailing space (turndown's `replace(/ $/, '')`, which reads the whole text to find it). */
const dropTrailingSpace = (text: string) => (text.endsWith(' ') ? text.slice(0, -1) : text);

function collapseWhitespace(root: SimpleElement): void {
  if (!root.firstChild || root.name === 'pre') return;
  let prevText: SimpleText | null = null;
  let keepLeadingWs = false;
  let prev: SimpleNode | null = null;
  let node = nextInWalk(prev, root);
  while (node !== root) {
    if (node.nodeType === 3) {
      let text = fold(node.data);
      if ((!prevText || prevText.data.endsWith(' ')) && !keepLeadingWs && text[0] === ' ') text = text.slice(1);
      if (!text) {
        node = removeFromWalk(node);
        continue;
      }
      node.data = text;
      prevText = node;
    } else if (BLOCK.has(node.name) || node.name === 'br') {
      if (prevText) prevText.data = dropTrailingSpace(prevText.data);
      prevText = null;
      keepLeadingWs = false;
    } else if (VOID.has(node.name) || node.name === 'pre') {
      prevText = null;
      keepLeadingWs = true;
    } else if (prevText) {
      keepLeadingWs = false;
    }
    const next = nextInWalk(prev, node);
    prev = node;
    node = next;
  }
  if (prevText) {
    prevText.data = dropTrailingSpace(prevText.data);
    if (!prevText.data) removeFromWalk(prevText);
  }
}

// ---- the flags turndown's Node() gives each element
function hasDescendant(element: SimpleElement, names: Set<string>): boolean {
  for (const child of element.childNodes) if (isElement(child) && (names.has(child.name) || hasDescendant(child, names))) return true;
  return false;
}

/** Whether some text below the element is more than white space: its textContent would not match /^\s*$/. */
function hasWords(element: SimpleElement): boolean {
  for (const child of element.childNodes) if (child.nodeType === 3 ? !ONLY_WHITESPACE.test(child.data) : hasWords(child)) return true;
  return false;
}
const ONLY_WHITESPACE = /^\s*$/;

function isBlank(element: SimpleElement): boolean {
  // Asked of each text node rather than of the element's whole text, which a paragraph would build for nothing.
  return !VOID.has(element.name) && !MEANINGFUL_WHEN_BLANK.has(element.name) && !hasWords(element) && !hasDescendant(element, VOID) && !hasDescendant(element, MEANINGFUL_WHEN_BLANK);
}

const EDGES = /^(([ \t\r\n]*)(\s*))(?:(?=\S)[\s\S]*\S)?((\s*?)([ \t\r\n]*))$/;
const NO_EDGES = { leading: '', trailing: '' };

function isFlankedByWhitespace(side: 'left' | 'right', element: SimpleElement): boolean {
  const sibling = side === 'left' ? element.previousSibling : element.nextSibling;
  if (!sibling || isBlock(sibling)) return false;
  const text = textOf(sibling);
  return side === 'left' ? text.endsWith(' ') : text.startsWith(' ');
}

function flankingWhitespace(element: SimpleElement): { leading: string; trailing: string } {
  if (BLOCK.has(element.name)) return NO_EDGES;
  const text = element.textContent();
  // Most inline elements neither start nor end with white space: no need for the expression.
  if (text.length > 0 && !/\s/.test(text[0]!) && !/\s/.test(text[text.length - 1]!)) return NO_EDGES;
  const m = EDGES.exec(text)!;
  const [, leadingAll = '', leadingAscii = '', leadingNonAscii = '', trailingAll = '', trailingNonAscii = '', trailingAscii = ''] = m;
  return {
    leading: leadingAscii && isFlankedByWhitespace('left', element) ? leadingNonAscii : leadingAll,
    trailing: trailingAscii && isFlankedByWhitespace('right', element) ? trailingNonAscii : trailingAll,
  };
}

// ---- turndown's rules, in the order it tries them (ours first), for the tags simple-html.ts admits
const trimLeadingNewlines = (s: string) => (s.startsWith('\n') ? s.replace(/^\n*/, '') : s);
function trimTrailingNewlines(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '\n') end--;
  return s.substring(0, end);
}
const trimNewlines = (s: string) => trimTrailingNewlines(trimLeadingNewlines(s));
const elementChildren = (element: SimpleElement) => element.childNodes.filter(isElement);

function listItem(content: string, element: SimpleElement): string {
  let prefix = `${TURNDOWN_OPTIONS.bulletListMarker}   `;
  const parent = element.parentNode!;
  if (parent.name === 'ol') {
    const start = parent.getAttribute('start');
    const index = elementChildren(parent).indexOf(element);
    prefix = `${start ? Number(start) + index : index + 1}.  `;
  }
  const isParagraph = content.endsWith('\n');
  const body = (trimNewlines(content) + (isParagraph ? '\n' : '')).replace(/\n/g, `\n${' '.repeat(prefix.length)}`);
  return prefix + body + (element.nextSibling ? '\n' : '');
}

function fencedCodeBlock(pre: SimpleElement, code: SimpleElement): string {
  const language = ((code.getAttribute('class') || '').match(/language-(\S+)/) ?? [null, ''])[1];
  const text = code.textContent();
  let fenceSize = 3;
  for (const match of text.matchAll(/^`{3,}/gm)) if (match[0].length >= fenceSize) fenceSize = match[0].length + 1;
  const fence = '`'.repeat(fenceSize);
  void pre;
  return `\n\n${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}\n\n`;
}

function inlineCode(content: string): string {
  if (!content) return '';
  const text = content.replace(/\r?\n|\r/g, ' ');
  const extraSpace = /^`|^ .*?[^ ].* $|`$/.test(text) ? ' ' : '';
  let delimiter = '`';
  const runs: string[] = text.match(/`+/gm) ?? [];
  while (runs.includes(delimiter)) delimiter += '`';
  return delimiter + extraSpace + text + extraSpace + delimiter;
}

/** The replacement of a non-blank element, given the Markdown of its children. */
function replacement(element: SimpleElement, content: string): string {
  const name = element.name;
  switch (name) {
    case 'a':
      if (isMention(element.getAttribute('class'))) return content;
      {
        const href = element.getAttribute('href');
        return href === null ? content : linkMarkdown(content, href);
      }
    case 'img':
      return imageMarkdown(element.getAttribute('alt'));
    case 'p':
      return `\n\n${content}\n\n`;
    case 'br':
      return `${TURNDOWN_OPTIONS.br}\n`;
    case 'blockquote':
      return `\n\n${trimNewlines(content).replace(/^/gm, '> ')}\n\n`;
    case 'ul':
    case 'ol': {
      const parent = element.parentNode!;
      return parent.name === 'li' && elementChildren(parent).at(-1) === element ? `\n${content}` : `\n\n${content}\n\n`;
    }
    case 'li':
      return listItem(content, element);
    case 'pre': {
      const first = element.firstChild;
      return isElement(first) && first.name === 'code' ? fencedCodeBlock(element, first) : `\n\n${content}\n\n`;
    }
    case 'em':
    case 'i':
      return content.trim() ? `${TURNDOWN_OPTIONS.emDelimiter}${content}${TURNDOWN_OPTIONS.emDelimiter}` : '';
    case 'strong':
    case 'b':
      return content.trim() ? `**${content}**` : '';
    case 'code': {
      const inBlock = element.parentNode!.name === 'pre' && !element.previousSibling && !element.nextSibling;
      return inBlock ? content : inlineCode(content);
    }
    default:
      if (HEADINGS.has(name)) return headingMarkdown(content);
      return BLOCK.has(name) ? `\n\n${content}\n\n` : content;
  }
}

// ---- turndown's process(), replacementForNode() and join()
function join(output: string[], replacement: string): void {
  const tail = output.pop() ?? '';
  const s1 = trimTrailingNewlines(tail);
  const s2 = trimLeadingNewlines(replacement);
  const newlines = Math.max(tail.length - s1.length, replacement.length - s2.length);
  const separator = '\n\n'.substring(0, newlines);
  if (s1) output.push(s1);
  if (separator) output.push(separator);
  if (s2) output.push(s2);
}

function processChildren(parent: SimpleElement, inCode: boolean): string {
  const output: string[] = [];
  for (const node of parent.childNodes) join(output, node.nodeType === 3 ? (inCode ? node.data : escapeMarkdown(node.data)) : replacementForElement(node, inCode || node.name === 'code'));
  return output.join('');
}

function replacementForElement(element: SimpleElement, isCode: boolean): string {
  const whitespace = flankingWhitespace(element);
  let body: string;
  if (isBlank(element)) body = BLOCK.has(element.name) ? '\n\n' : '';
  else {
    // A code block reads its text itself; its children's Markdown would not be used.
    const first = element.firstChild;
    const codeBlock = element.name === 'pre' && isElement(first) && first.name === 'code';
    let content = codeBlock ? '' : processChildren(element, isCode);
    if (whitespace.leading || whitespace.trailing) content = content.trim();
    body = replacement(element, content);
  }
  return whitespace.leading + body + whitespace.trailing;
}

/** The Markdown turndown would write for the tree (before the caller's trim). */
export function simpleTreeToMarkdown(root: SimpleElement): string {
  collapseWhitespace(root);
  // turndown's postProcess: `replace(/^[\t\r\n]+/, '')` and `replace(/[\t\r\n\s]+$/, '')`, which is trimEnd().
  return processChildren(root, false).replace(/^[\t\r\n]+/, '').trimEnd();
}
