import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { I18nContext } from '../i18n/view.ts';
import type { Translator } from '../i18n/translator.ts';

/**
 * A whole HTML document from a page component; Preact escapes every text and attribute value.
 * `i18n` is the reader's language (`request.i18n`) for every component of the page (useI18n());
 * without it the page reads in English.
 */
export function renderDocument(page: VNode<any>, i18n?: Translator): string {
  return `<!doctype html>${renderToString(i18n ? h(I18nContext.Provider, { value: i18n }, page) : page)}`;
}

/** JSON for a `<script type="application/ld+json">` block, safe against `</script>` in the data. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** Part of a page (HTML swapped in by an island) in the reader's language. */
export function renderFragment(node: VNode<any>, i18n: Translator): string {
  return renderToString(h(I18nContext.Provider, { value: i18n }, node));
}
