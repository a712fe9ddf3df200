import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

// The pseudo-locale en-XA: every English message with its letters accented, about 35 % longer and
// framed in ⟦ ⟧, so a page shown in it exposes at a glance any text that bypassed the catalogs (plain
// ASCII, no frame) and any layout that breaks when a language runs longer than English. Only literal
// text changes: arguments, plural and select branches, `#` and tags are kept as they are.

const ACCENTED: Readonly<Record<string, string>> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [c, [...'àƀçđéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ'][i]!]),
);
export const PSEUDO_OPEN = '⟦';
export const PSEUDO_CLOSE = '⟧';
const GROWTH = 0.35;
const FILLER = 'ļöŕéɱ îþšûɱ đöļöŕ šîţ àɱéţ ';

export function accent(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => ACCENTED[c] ?? c);
}

/** The pseudo-localised form of one ICU message, as an AST ready for IntlMessageFormat. */
export function pseudoLocalizeAst(message: string): MessageFormatElement[] {
  const ast = parse(message, { ignoreTag: true });
  const transformed = transform(ast);
  const padding = Math.ceil(literalLength(ast) * GROWTH);
  const filler = padding > 0 ? ' ' + FILLER.repeat(Math.ceil(padding / FILLER.length)).slice(0, padding).trimEnd() : '';
  return [literal(PSEUDO_OPEN), ...transformed, literal(filler + PSEUDO_CLOSE)];
}

function transform(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((el): MessageFormatElement => {
    switch (el.type) {
      case TYPE.literal:
        return { ...el, value: accent(el.value) };
      case TYPE.plural:
      case TYPE.select:
        return { ...el, options: Object.fromEntries(Object.entries(el.options).map(([k, o]) => [k, { ...o, value: transform(o.value) }])) };
      case TYPE.tag:
        return { ...el, children: transform(el.children) };
      default:
        return el;
    }
  });
}

// The text a reader would see in the longest case: literals, plus each plural/select's longest branch.
function literalLength(elements: MessageFormatElement[]): number {
  let length = 0;
  for (const el of elements) {
    if (el.type === TYPE.literal) length += el.value.length;
    else if (el.type === TYPE.plural || el.type === TYPE.select) length += Math.max(0, ...Object.values(el.options).map((o) => literalLength(o.value)));
    else if (el.type === TYPE.tag) length += literalLength(el.children);
  }
  return length;
}

const literal = (value: string): MessageFormatElement => ({ type: TYPE.literal, value });
