import { Parser, type Handler } from 'htmlparser2';

// Turndown parses its input with domino, a full DOM, then walks it asking each node's textContent
// and descendants again and again: about 1,600 two-KB comments a second, far the slowest step of an
// import. Nearly every comment an export holds is plain: paragraphs, line breaks, emphasis, links,
// quotes, code and lists. Such a body is read here with htmlparser2's tokenizer into a small tree.
// Anything else (a tag outside the list, a comment, an end tag the HTML parsing rules would have to
// repair, an entity without its semicolon, a NUL) gets null and goes to turndown as a string: where
// the HTML parsing algorithm and a tokenizer could build different trees, the tree is never guessed.

/** Tags whose tree is the same from a tokenizer as from the HTML parsing algorithm, when well nested. */
export const SIMPLE_TAGS = new Set([
  'p', 'br', 'a', 'em', 'i', 'strong', 'b', 'u', 's', 'strike', 'del', 'ins', 'span', 'small', 'sub', 'sup', 'mark', 'cite', 'q', 'abbr',
  'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'img', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
]);
const VOID_TAGS = new Set(['br', 'img']);
/** Start tags before which the HTML parsing rules close an open `<p>`, wherever it is (a tokenizer nests them). */
const CLOSES_P = new Set(['p', 'blockquote', 'ul', 'ol', 'pre', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Elements that stop the search for an open `<li>` to close when another `<li>` starts. */
const LIST_ITEM_SCOPE = new Set(['ul', 'ol', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
// `&` must start a numeric reference or a common named one, ended by its semicolon: other names have
// rules (legacy prefixes such as `&not`) that differ between text and attributes.
const ENTITY = /&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|([a-zA-Z][a-zA-Z0-9]{0,31});)?/g;
const PLAIN_ENTITIES = new Set([
  'amp', 'lt', 'gt', 'quot', 'apos', 'nbsp', 'hellip', 'mdash', 'ndash', 'lsquo', 'rsquo', 'ldquo', 'rdquo', 'laquo', 'raquo', 'copy', 'reg',
  'trade', 'euro', 'pound', 'deg', 'times', 'middot', 'bull', 'eacute', 'egrave', 'agrave', 'aacute', 'ccedil', 'auml', 'ouml', 'uuml', 'szlig',
]);

function plainEntities(html: string): boolean {
  if (!html.includes('&')) return true;
  for (const match of html.matchAll(ENTITY)) {
    if (match[0] === '&') return false;
    if (match[1] !== undefined && !PLAIN_ENTITIES.has(match[1])) return false;
  }
  return true;
}

/** Whether the HTML parsing rules would close an open element before this start tag (a tokenizer nests it). */
function parserWouldClose(name: string, current: SimpleElement): boolean {
  let lookingForItem = name === 'li';
  for (let node: SimpleElement | null = current; node; node = node.parentNode) {
    if (node.name === 'p' && CLOSES_P.has(name)) return true;
    if (node.name === 'a' && name === 'a') return true;
    if (lookingForItem) {
      if (node.name === 'li') return true;
      // A list or a block in between: an open <li> further out belongs to an outer list.
      if (LIST_ITEM_SCOPE.has(node.name)) lookingForItem = false;
    }
  }
  return false;
}

/** A node of the tree, shaped like the DOM nodes turndown walks (simple-markdown.ts follows its steps). */
abstract class SimpleBase {
  parentNode: SimpleElement | null = null;
  previousSibling: SimpleNode | null = null;
  nextSibling: SimpleNode | null = null;
}

export class SimpleText extends SimpleBase {
  readonly nodeType = 3;
  constructor(public data: string) {
    super();
  }
}

export class SimpleElement extends SimpleBase {
  readonly nodeType = 1;
  readonly childNodes: SimpleNode[] = [];
  private text: string | undefined;
  constructor(
    /** Lower case, as the tokenizer gives it. */
    readonly name: string,
    private readonly attributes: Record<string, string>,
  ) {
    super();
  }
  get firstChild(): SimpleNode | null {
    return this.childNodes[0] ?? null;
  }
  getAttribute(name: string): string | null {
    return Object.hasOwn(this.attributes, name) ? this.attributes[name]! : null;
  }
  appendChild(child: SimpleNode): void {
    const last = this.childNodes.at(-1) ?? null;
    child.parentNode = this;
    child.previousSibling = last;
    if (last) last.nextSibling = child;
    this.childNodes.push(child);
  }
  removeChild(child: SimpleNode): void {
    this.childNodes.splice(this.childNodes.indexOf(child), 1);
    if (child.previousSibling) child.previousSibling.nextSibling = child.nextSibling;
    if (child.nextSibling) child.nextSibling.previousSibling = child.previousSibling;
    child.parentNode = child.previousSibling = child.nextSibling = null;
  }
  /** The text of the subtree, read once the whitespace is settled (it is kept). */
  textContent(): string {
    if (this.text === undefined) {
      let text = '';
      for (const child of this.childNodes) text += child.nodeType === 3 ? child.data : child.textContent();
      this.text = text;
    }
    return this.text;
  }
}

export type SimpleNode = SimpleElement | SimpleText;

export const textOf = (node: SimpleNode): string => (node.nodeType === 3 ? node.data : node.textContent());

/** The tree of a body made only of simple, well-nested tags; null when only a full HTML parser can be trusted with it. */
export function simpleHtmlTree(html: string): SimpleElement | null {
  // The HTML parsing rules turn CR and CRLF into LF before anything else, and treat NUL specially.
  const source = html.includes('\r') ? html.replace(/\r\n?/g, '\n') : html;
  if (source.includes('\0') || source.includes('<!') || source.includes('<?') || !plainEntities(source)) return null;
  const root = new SimpleElement('#root', {});
  let current = root;
  let simple = true;
  let endTags = 0;
  /** Right after `<pre>`, one newline is not content. */
  let afterPre = false;
  const handler = {
    onopentag(name: string, attributes: Record<string, string>, implied: boolean) {
      afterPre = false;
      if (!simple) return;
      if (implied || !SIMPLE_TAGS.has(name) || parserWouldClose(name, current)) {
        simple = false;
        return;
      }
      const element = new SimpleElement(name, attributes);
      current.appendChild(element);
      if (!VOID_TAGS.has(name)) current = element;
      afterPre = name === 'pre';
    },
    onclosetag(name: string, implied: boolean) {
      afterPre = false;
      if (!simple || VOID_TAGS.has(name)) return;
      // An end tag the tokenizer had to supply (misnesting, an element left open) is a repair.
      if (implied || current.name !== name) {
        simple = false;
        return;
      }
      endTags++;
      current = current.parentNode!;
    },
    ontext(text: string) {
      if (!simple) return;
      let data = text;
      if (afterPre) {
        afterPre = false;
        if (data.startsWith('\n')) data = data.slice(1);
        if (!data) return;
      }
      const last = current.childNodes.at(-1);
      // The tokenizer may hand one run of text in pieces (around an entity); a DOM holds it as one node.
      if (last?.nodeType === 3) last.data += data;
      else current.appendChild(new SimpleText(data));
    },
    oncomment() {
      simple = false;
    },
    onprocessinginstruction() {
      simple = false;
    },
  };
  if (bareTagsOnly(source)) readBareTags(source, handler);
  else {
    const parser = new Parser(handler, { decodeEntities: true });
    parser.write(source);
    parser.end();
  }
  // An end tag with nothing open to close is dropped silently by both parsers, but not always alike.
  if (!simple || current !== root || endTags !== countEndTags(source)) return null;
  return root;
}

// Most bodies are text and tags without attributes (`<p>`, `<em>`, `<br>`): for them, the events
// htmlparser2's tokenizer would give are read off directly, at a fraction of its cost.
// Text without `<` or `&` is the same decoded or not; an element left open or an end tag out of place
// is caught by the same checks as with htmlparser2 (its implied end tags are what parserWouldClose and
// the final checks already refuse).
const BARE_NAMES = [...SIMPLE_TAGS].filter((name) => name !== 'img');
const BARE_TAGS = new Set([...BARE_NAMES.map((name) => `<${name}>`), ...BARE_NAMES.filter((name) => name !== 'br').map((name) => `</${name}>`), '<br/>', '<br />']);

/** Whether every `<` of the body starts one of BARE_TAGS, and there is no `&`. */
function bareTagsOnly(source: string): boolean {
  if (source.includes('&')) return false;
  for (let at = source.indexOf('<'); at >= 0; at = source.indexOf('<', at + 1)) {
    const end = source.indexOf('>', at);
    if (end < 0 || !BARE_TAGS.has(source.slice(at, end + 1))) return false;
  }
  return true;
}

type TreeEvents = Pick<Required<Handler>, 'onopentag' | 'onclosetag' | 'ontext'>;

/** A bare tag's attributes: none, shared by every element that has none (elements only read them). */
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({});

/** The events htmlparser2 gives for a body that bareTagsOnly() accepts. */
function readBareTags(source: string, events: TreeEvents): void {
  let at = 0;
  for (let open = source.indexOf('<'); open >= 0; open = source.indexOf('<', at)) {
    if (open > at) events.ontext(source.slice(at, open));
    const end = source.indexOf('>', open);
    const closing = source[open + 1] === '/';
    let name = source.slice(closing ? open + 2 : open + 1, end);
    if (name.endsWith('/')) name = name.replace(/ ?\/$/, '');
    if (closing) events.onclosetag(name, false);
    else {
      events.onopentag(name, NO_ATTRIBUTES, false);
      // htmlparser2 ends a void element at once, as implied.
      if (VOID_TAGS.has(name)) events.onclosetag(name, true);
    }
    at = end + 1;
  }
  if (at < source.length) events.ontext(source.slice(at));
}

function countEndTags(html: string): number {
  let n = 0;
  for (let at = html.indexOf('</'); at >= 0; at = html.indexOf('</', at + 2)) n++;
  return n;
}
