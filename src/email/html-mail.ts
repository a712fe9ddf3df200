import { escapeAttribute, escapeText } from 'entities';
import { textDirection, type MessageKey, type Translator } from '../i18n/index.ts';
import { htmlLang } from '../i18n/request.ts';
import type { MailMessage } from './mailer.ts';

// The HTML part of every mail, laid out from the same catalog messages as its text part: a message's
// blank lines part paragraphs, its line breaks stay line breaks, and a `{link}` argument becomes a
// real link instead of an address to copy. Inline CSS only (mail clients drop <style> and external
// sheets), no remote images and nothing that reports an opening: the mail shows the same offline.
// Every value is escaped with `entities`, names and headlines included.

/** A link a message places: shows its address unless a label is given; `button` marks the mail's main action. */
export interface MailLink {
  readonly href: string;
  readonly label?: string;
  readonly button?: boolean;
}

export type Inline = string | MailLink;

export type MailBlock =
  /** Lines of one paragraph, shown with line breaks between them. */
  | { readonly kind: 'paragraph'; readonly lines: readonly (readonly Inline[])[] }
  /** The main action, as a button-styled link. */
  | { readonly kind: 'button'; readonly href: string; readonly label: string }
  /** The signature and the unsubscribe lines: smaller, below a rule. */
  | { readonly kind: 'footer'; readonly lines: readonly (readonly Inline[])[] };

export const link = (href: string, label?: string): MailLink => ({ href, ...(label === undefined ? {} : { label }) });

/** The main action: a button labelled `label` where the message places it alone on its line. */
export const action = (href: string, label: string): MailLink => ({ href, label, button: true });

const isLink = (part: unknown): part is MailLink => typeof part === 'object' && part !== null && typeof (part as MailLink).href === 'string';

/**
 * One catalog message as blocks: formatted with its links as elements (Translator.rich), so the
 * sentence stays whole in the catalog and the text part says the same words.
 */
export function messageBlocks(i18n: Translator, key: MessageKey, values: Record<string, string | number | MailLink> = {}, kind: 'paragraph' | 'footer' = 'paragraph'): MailBlock[] {
  const formatted = i18n.rich<MailLink>(key, values);
  return textBlocks(Array.isArray(formatted) ? formatted : [formatted], kind);
}

/** Parts of text and links as blocks: blank lines end a paragraph, a lone button link stands as its own block. */
export function textBlocks(parts: readonly Inline[], kind: 'paragraph' | 'footer' = 'paragraph'): MailBlock[] {
  // Lines of inline parts, with `null` for a blank line (a paragraph break).
  const lines: (Inline[] | null)[] = [[]];
  for (const part of parts) {
    if (isLink(part)) {
      lines.at(-1)!.push(part);
      continue;
    }
    String(part)
      .split('\n')
      .forEach((piece, i) => {
        if (i > 0) lines.push([]);
        if (piece !== '') lines.at(-1)!.push(piece);
      });
  }
  const blocks: MailBlock[] = [];
  let current: Inline[][] = [];
  const close = () => {
    if (current.length > 0) blocks.push({ kind, lines: current });
    current = [];
  };
  for (const line of lines) {
    const content = line?.filter((p) => typeof p !== 'string' || p.trim() !== '') ?? [];
    if (content.length === 0) {
      close();
      continue;
    }
    const only = content.length === 1 ? content[0] : null;
    if (kind === 'paragraph' && isLink(only) && only.button && only.label !== undefined) {
      close();
      blocks.push({ kind: 'button', href: only.href, label: only.label });
      continue;
    }
    current.push(line!);
  }
  close();
  return blocks;
}

// ——— Layout ———

const COLORS = { text: '#1f1f1f', muted: '#5a5a5a', link: '#1a4fa3', page: '#f3f3f0', card: '#ffffff', rule: '#dcdcd6' };
const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/** Only web links become links: a value that is not one (never expected) is shown as text. */
function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function inline(part: Inline, color: string): string {
  if (!isLink(part)) return escapeText(part);
  const href = safeHref(part.href);
  const label = escapeText(part.label ?? part.href);
  // word-break: a long link with a token must wrap on a phone instead of widening the mail.
  return href ? `<a href="${escapeAttribute(href)}" style="color:${color};word-break:break-all">${label}</a>` : label;
}

const lines = (ls: readonly (readonly Inline[])[], color: string) => ls.map((l) => l.map((p) => inline(p, color)).join('')).join('<br>\n');

function block(b: MailBlock): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px">${lines(b.lines, COLORS.link)}</p>`;
    case 'footer':
      return `<p style="margin:0 0 12px;font-size:13px;line-height:1.5;color:${COLORS.muted}">${lines(b.lines, COLORS.muted)}</p>`;
    case 'button': {
      const href = safeHref(b.href);
      if (!href) return `<p style="margin:0 0 16px">${escapeText(b.label)}</p>`;
      return (
        `<p style="margin:8px 0 24px"><a href="${escapeAttribute(href)}" style="display:inline-block;background:${COLORS.link};color:#ffffff;` +
        `text-decoration:none;font-weight:600;padding:12px 22px;border-radius:6px">${escapeText(b.label)}</a></p>`
      );
    }
  }
}

export interface HtmlMailInput {
  /** The recipient's language: `lang` and `dir` of the document. */
  locale: string;
  /** The site's name, shown above the mail. */
  site: string;
  /** The document's title: the mail's subject. */
  title: string;
  body: readonly MailBlock[];
  footer: readonly MailBlock[];
}

/** The whole HTML document of a mail. */
export function renderHtmlMail(input: HtmlMailInput): string {
  const lang = escapeAttribute(htmlLang(input.locale));
  const dir = textDirection(input.locale);
  return [
    '<!doctype html>',
    `<html lang="${lang}" dir="${dir}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light">',
    `<title>${escapeText(input.title)}</title></head>`,
    `<body style="margin:0;padding:0;background:${COLORS.page}">`,
    `<div style="max-width:600px;margin:0 auto;padding:24px 16px;${FONT};font-size:16px;line-height:1.55;color:${COLORS.text}">`,
    `<p class="site-name" style="margin:0 0 12px;font-size:18px;font-weight:700;color:${COLORS.text}">${escapeText(input.site)}</p>`,
    `<div style="background:${COLORS.card};border:1px solid ${COLORS.rule};border-radius:8px;padding:24px 24px 8px">`,
    ...input.body.map(block),
    '</div>',
    input.footer.length > 0 ? `<div style="padding:16px 4px 0">${input.footer.map(block).join('\n')}</div>` : '',
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export interface LocalizedMail {
  to: string;
  subject: string;
  /** The text part, exactly as the mail has always read. */
  text: string;
  /** The same messages as blocks, for the HTML part. */
  body: readonly MailBlock[];
  footer: readonly MailBlock[];
  site: string;
  headers?: Record<string, string>;
}

/** A mail with its text part, its HTML alternative and its language (Content-Language), in the recipient's language. */
export function localizedMail(i18n: Translator, mail: LocalizedMail): MailMessage {
  return {
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: renderHtmlMail({ locale: i18n.locale, site: mail.site, title: mail.subject, body: mail.body, footer: mail.footer }),
    headers: { ...mail.headers, 'Content-Language': htmlLang(i18n.locale) },
  };
}
