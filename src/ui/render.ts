import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A whole HTML document from a page component; Preact escapes every text and attribute value. */
export function renderDocument(page: VNode<any>): string {
  return `<!doctype html>${renderToString(page)}`;
}

/** JSON for a `<script type="application/ld+json">` block, safe against `</script>` in the data. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
