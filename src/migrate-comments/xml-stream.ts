import fs from 'node:fs';
import { lazyModule } from '../lazy-module.ts';

const saxes = lazyModule<typeof import('saxes')>('saxes');
import type { Translator } from '../i18n/translator.ts';
import { ImportFileError, type ReadPosition } from './model.ts';

// Streaming XML: the file is read in chunks and only the element being read is held (a multi-gigabyte
// export never is). The caller names the elements it wants whole (a Disqus `post`, a WordPress
// `item`) and receives each one as a small tree once its closing tag is read.

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
  line: number;
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

export function childText(node: XmlNode, name: string): string | null {
  const found = child(node, name);
  return found ? found.text.trim() : null;
}

/** A mistake in the file that was read past; the summary names it. */
export interface XmlWarning {
  name: '#warning';
  line: number;
  /** English (logs, tests); `problemIn` for people. */
  problem: string;
  problemIn: (i18n: Translator) => string;
}

// Exports seen in the wild write `<thread dsq:id=123/>` (Remark42's sample of a Disqus export). The
// value is unambiguous, so it is quoted before parsing and the summary names the line; every other
// mistake stops the import.
const BARE_ATTRIBUTE = /(<[A-Za-z_:][\w:.-]*(?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s+[\w:.-]+\s*=\s*)([^\s"'<>=`]+?)(\/?>|\s)/g;

/** What every bare value starts with (and much else): a quick look before the expression above. */
const MAYBE_BARE = /=\s*[^\s"']/;

function quoteBareAttributes(text: string, firstLine: number, warnings: XmlWarning[]): string {
  if (!MAYBE_BARE.test(text) || !BARE_ATTRIBUTE.test(text)) return text;
  let out = text;
  for (let pass = 0; pass < 8; pass++) {
    let changed = false;
    out = out.replace(BARE_ATTRIBUTE, (_m, head: string, value: string, tail: string, offset: number, whole: string) => {
      changed = true;
      const line = firstLine + whole.slice(0, offset + head.length).split('\n').length - 1;
      const problemIn = (i18n: Translator) => i18n.t('cli.comments.unquotedAttribute', { value });
      warnings.push({ name: '#warning', line, problem: `unquoted attribute value (${value}), read as "${value}"`, problemIn });
      return `${head}"${value}"${tail}`;
    });
    BARE_ATTRIBUTE.lastIndex = 0;
    if (!changed) break;
  }
  return out;
}

/** The newlines in the text, counted without splitting it (a chunk holds thousands of lines). */
function newlines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

export interface XmlReadOptions {
  /** Is this element (by name and depth below the document's root, which is 0) one item? */
  isItem(name: string, depth: number): boolean;
  /** Elements whose text is never needed (a WordPress post's whole body): not kept in memory. */
  ignoreText?: ReadonlySet<string>;
  /** Updated with the bytes read so far. */
  position?: ReadPosition;
}

/**
 * The items of an XML file, one at a time. Anything before the first `<` is tolerated (exports seen
 * in the wild start with a stray character); a file that is not well-formed, or ends early, throws
 * ImportFileError naming the line.
 */
export async function* readXmlItems(file: string, options: XmlReadOptions): AsyncGenerator<(XmlNode & { bytes: number }) | XmlWarning> {
  const warnings: XmlWarning[] = [];
  const parser = new (saxes().SaxesParser)({ position: true });
  const done: (XmlNode & { bytes: number })[] = [];
  const stack: XmlNode[] = [];
  let depth = -1;
  let itemDepth = -1;
  let skippedLines = 0;
  let started = false;
  let bytes = 0;
  let sawRoot = false;
  const fail = (message: string) => {
    throw new ImportFileError(parser.line + skippedLines, message);
  };
  parser.on('error', (error) => fail(error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '')));
  parser.on('opentag', (tag) => {
    depth++;
    sawRoot = true;
    if (itemDepth < 0 && options.isItem(tag.name, depth)) itemDepth = depth;
    if (itemDepth >= 0) {
      const node: XmlNode = { name: tag.name, attrs: { ...(tag.attributes as Record<string, string>) }, children: [], text: '', line: parser.line + skippedLines };
      stack.at(-1)?.children.push(node);
      stack.push(node);
    }
  });
  const onText = (text: string) => {
    const node = stack.at(-1);
    if (node && !options.ignoreText?.has(node.name)) node.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (itemDepth >= 0) {
      const node = stack.pop()!;
      if (depth === itemDepth) {
        itemDepth = -1;
        done.push({ ...node, bytes });
      }
    }
    depth--;
  });
  // Chunks of 64 KB: a string of 128 KB or more is made in V8's large-object space, and decoding a
  // 200 MB file in chunks of 256 KB took about a second, in chunks of 64 KB a few tens of milliseconds.
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  // A tag cut in two by a chunk's end waits for the rest, so each piece holds whole tags.
  let carry = '';
  let linesFed = 0;
  const feed = (text: string) => {
    parser.write(quoteBareAttributes(text, linesFed + skippedLines + 1, warnings));
    linesFed += newlines(text);
  };
  for await (const chunk of stream as AsyncIterable<string>) {
    let text = carry + chunk;
    carry = '';
    bytes += Buffer.byteLength(chunk);
    if (options.position) options.position.bytes = bytes;
    if (!started) {
      const start = text.indexOf('<');
      if (start < 0) {
        skippedLines += text.split('\n').length - 1;
        continue;
      }
      const junk = text.slice(0, start);
      skippedLines += junk.split('\n').length - 1;
      text = text.slice(start);
      started = true;
    }
    const open = text.lastIndexOf('<');
    if (open > text.lastIndexOf('>')) {
      carry = text.slice(open);
      text = text.slice(0, open);
    }
    feed(text);
    while (warnings.length) yield warnings.shift()!;
    while (done.length) yield done.shift()!;
  }
  if (!started) throw new ImportFileError(null, { key: 'cli.comments.file.noXml' });
  if (carry) feed(carry);
  parser.close();
  if (!sawRoot) throw new ImportFileError(null, { key: 'cli.comments.file.noXmlElement' });
  while (warnings.length) yield warnings.shift()!;
  while (done.length) yield done.shift()!;
}
