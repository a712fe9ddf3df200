// Reads schema.org JSON-LD blocks: the most reliable metadata a news page carries, because search
// engines consume it.
import type { ArticleAuthor } from './model.ts';
import { decodeEntities, isObject, joinNames, normalize, splitByline, type JsonObject } from './html-text.ts';

export type LdNode = JsonObject;

const ARTICLE_TYPE = /(?:Article|BlogPosting|Report|SocialMediaPosting|DiscussionForumPosting|Review|Recipe|HowTo)$/;
const ARTICLE_FIELDS = ['headline', 'datePublished', 'author', 'articleBody', 'image', 'publisher'];

export class JsonLd {
  private readonly nodes: LdNode[] = [];
  private readonly byId = new Map<string, LdNode>();

  constructor(private readonly doc: Document) {
    for (const script of doc.querySelectorAll('script')) {
      if (script.getAttribute('type')?.trim().toLowerCase() !== 'application/ld+json') continue;
      // Some CMSs wrap the block in CDATA or comment markers for ancient browsers.
      const text = (script.textContent ?? '').replace(/^\s*(?:\/\/\s*)?(?:<!\[CDATA\[|<!--)|(?:\/\/\s*)?(?:\]\]>|-->)\s*$/g, '');
      try {
        this.collect(JSON.parse(text));
      } catch {
        // A malformed block is skipped: other blocks, Open Graph or the DOM still describe the page.
      }
    }
  }

  private collect(value: unknown): void {
    if (Array.isArray(value)) value.forEach((v) => this.collect(v));
    if (!isObject(value)) return;
    this.nodes.push(value);
    if (typeof value['@id'] === 'string') this.byId.set(value['@id'], value);
    if ('@graph' in value) this.collect(value['@graph']);
  }

  /** The node describing the story: of an article type, and among several the one that says most about it. */
  article(): LdNode | null {
    const articles = this.nodes.filter((n) => types(n).some((t) => ARTICLE_TYPE.test(t)));
    const pool = articles.length > 0 ? articles : this.nodes.filter((n) => types(n).some((t) => /WebPage$/.test(t)) && ('headline' in n || 'datePublished' in n));
    let best: LdNode | null = null;
    let bestScore = -1;
    for (const node of pool) {
      const score = ARTICLE_FIELDS.filter((f) => node[f] !== undefined).length;
      if (score > bestScore) [best, bestScore] = [node, score];
    }
    return best;
  }

  /** Follows {"@id": …} references, which @graph documents (Yoast and friends) use for people and images. */
  deref(value: unknown): unknown {
    if (!isObject(value) || typeof value['@id'] !== 'string') return value;
    const target = this.byId.get(value['@id']);
    return target && target !== value ? { ...target, ...value } : value;
  }

  text(value: unknown): string | null {
    if (Array.isArray(value)) return this.text(value[0]);
    return typeof value === 'string' ? normalize(decodeEntities(this.doc, value)) : null;
  }

  name(value: unknown): string | null {
    return isObject(value) ? this.text(value.name) : null;
  }

  /** author: a string, a Person/Organization, or an array of either. */
  people(value: unknown): ArticleAuthor[] {
    if (Array.isArray(value)) return value.flatMap((v) => this.people(v));
    if (typeof value === 'string') return splitByline(decodeEntities(this.doc, value));
    const name = this.name(this.deref(value));
    return name ? [{ name }] : [];
  }

  url(article: LdNode | null): string | null {
    if (!article) return null;
    const page = this.deref(article.mainEntityOfPage);
    return this.text(article.url) ?? this.text(page) ?? (isObject(page) ? this.text(page.url) ?? this.text(page['@id']) : null);
  }

  /** image: a URL, an ImageObject, or an array of either (the first is the lead). */
  image(value: unknown): { url: string | null; caption: string | null; credit: string | null } | null {
    if (Array.isArray(value)) return this.image(value[0]);
    if (typeof value === 'string') return { url: this.text(value), caption: null, credit: null };
    const img = this.deref(value);
    if (!isObject(img)) return null;
    const credit = this.text(img.creditText) ?? joinNames(this.people(img.author)) ?? this.name(this.deref(img.copyrightHolder));
    return { url: this.text(img.url) ?? this.text(img.contentUrl), caption: this.text(img.caption), credit };
  }
}

export function types(node: LdNode): string[] {
  const t = node['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
}

// ---------------------------------------------------------------------------------------------
// Individual fields
