import { describe, expect, it } from 'vitest';
import { cutTemplate, escapeHtml, fillTemplate, hole, joinChunks } from './page-template.ts';

describe('page templates', () => {
  it('fills each hole with its text or bytes, in any script, and leaves an unfilled hole empty', () => {
    const template = cutTemplate(`<p title="${hole('who')}">Bonjour ${hole('who')}</p><div>${hole('body')}</div><footer>${hole('unused')}</footer>`);
    expect(template.holes).toEqual(['who', 'who', 'body', 'unused']);
    const page = fillTemplate(template, { who: 'Zoë 🦊', body: [Buffer.from('<b>déjà</b>'), ' — ', 'نص'] });
    expect(page.toString()).toBe('<p title="Zoë 🦊">Bonjour Zoë 🦊</p><div><b>déjà</b> — نص</div><footer></footer>');
  });

  it('joins text and bytes into one buffer of exactly their encoded length', () => {
    const chunks = ['ascii ', Buffer.from('bytes ', 'utf8'), 'é', '', '😀', Buffer.alloc(0), 'end'];
    const joined = joinChunks(chunks);
    expect(joined.length).toBe(Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))).length);
    expect(joined.toString()).toBe('ascii bytes é😀end');
    expect(joinChunks([]).length).toBe(0);
  });

  it('escapes text for HTML as the rendered pages do', () => {
    expect(escapeHtml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;>&amp;&lt;/a>');
  });
});
