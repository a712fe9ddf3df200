import { JSDOM } from 'jsdom';
import { describe, expect, test } from 'vitest';
import { alreadyRegisteredMail, passwordResetMail, verifyEmailMail } from '../accounts/emails.ts';
import { createTranslator } from '../i18n/index.ts';
import { action, link, localizedMail, messageBlocks, renderHtmlMail, textBlocks } from './html-mail.ts';

// The HTML part of a mail: the same catalog messages as the text part, laid out, escaped, linked,
// and in the recipient's language and direction.

const HOSTILE = '<img src=x onerror=alert(1)>';
const parse = (html: string) => new JSDOM(html).window.document;
/** What a reader sees: the text of the document, spaces folded (no-break ones included). */
const seen = (doc: Document) => (doc.body.textContent ?? '').replace(/\s+/g, ' ').trim();
const fold = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('escaping', () => {
  test('a hostile site name, subject and message values are shown as text, never as markup', () => {
    const fr = createTranslator('fr');
    const mail = localizedMail(fr, {
      to: 'a@example.com',
      subject: `Bonjour ${HOSTILE}`,
      site: HOSTILE,
      text: 'unused',
      body: [...messageBlocks(fr, 'email.notification.greeting', { name: `"><script>alert(1)</script>` }), ...textBlocks([HOSTILE, '\n', link('https://news.example.org/a?b=1&c="2"', HOSTILE)])],
      footer: messageBlocks(fr, 'email.signature', { site: HOSTILE }, 'footer'),
    });
    const html = mail.html!;
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    const doc = parse(html);
    expect(doc.querySelectorAll('img, script, [onerror]')).toHaveLength(0);
    expect(doc.title).toBe(`Bonjour ${HOSTILE}`);
    expect(doc.querySelector('.site-name')!.textContent).toBe(HOSTILE);
    expect(seen(doc)).toContain('Bonjour "><script>alert(1)</script>,');
    expect(seen(doc)).toContain(`Vous recevez ce message parce que quelqu’un a saisi cette adresse sur ${HOSTILE}.`);
    const a = doc.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://news.example.org/a?b=1&c=%222%22');
    expect(a.textContent).toBe(HOSTILE);
  });

  test('only web addresses become links', () => {
    const html = renderHtmlMail({ locale: 'en', site: 'Parley', title: 't', body: textBlocks([link('javascript:alert(1)'), '\n', action('data:text/html,x', 'Open')]), footer: [] });
    const doc = parse(html);
    expect(doc.querySelectorAll('a')).toHaveLength(0);
    expect(seen(doc)).toContain('javascript:alert(1)');
    expect(seen(doc)).toContain('Open');
  });
});

describe('the layout', () => {
  test('lang and dir follow the recipient’s language: French, English (British), a right-to-left one', () => {
    const doc = (locale: string) => parse(renderHtmlMail({ locale, site: 'Parley', title: 't', body: textBlocks(['x']), footer: [] })).documentElement;
    expect([doc('fr').lang, doc('fr').dir]).toEqual(['fr', 'ltr']);
    expect([doc('en').lang, doc('en').dir]).toEqual(['en-GB', 'ltr']);
    expect([doc('ar').lang, doc('ar').dir]).toEqual(['ar', 'rtl']);
    expect(doc('he').dir).toBe('rtl');
  });

  test('blank lines part paragraphs, single line breaks stay breaks, a lone action is a button', () => {
    const blocks = textBlocks(['One\ntwo\n\nThree:\n', action('https://x.test/go', 'Go'), '\n\nFour']);
    expect(blocks).toEqual([
      { kind: 'paragraph', lines: [['One'], ['two']] },
      { kind: 'paragraph', lines: [['Three:']] },
      { kind: 'button', href: 'https://x.test/go', label: 'Go' },
      { kind: 'paragraph', lines: [['Four']] },
    ]);
    // An action inside a sentence stays a link in the sentence.
    expect(textBlocks(['Go ', action('https://x.test/go', 'here'), ' now'])).toEqual([{ kind: 'paragraph', lines: [['Go ', { href: 'https://x.test/go', label: 'here', button: true }, ' now']] }]);
  });

  test('no remote resources, no tracking, no stylesheet: inline styles only', () => {
    const html = verifyEmailMail(createTranslator('en'), 'a@example.com', 'https://news.example.org/verify-email?token=t', 'Parley', false).html!;
    const doc = parse(html);
    expect(doc.querySelectorAll('img, link, script, style, iframe, object, form')).toHaveLength(0);
    expect(html).not.toMatch(/url\(|@import|src=/i);
    // Every link goes to the site itself.
    for (const a of doc.querySelectorAll('a')) expect(a.getAttribute('href')).toMatch(/^https:\/\/news\.example\.org\//);
  });
});

describe('the account mails', () => {
  test('the verification link is the button, in French, and the HTML says every sentence of the text', () => {
    const fr = createTranslator('fr');
    const url = 'https://news.example.org/verify-email?token=abc&next=%2Farticles%2Fx';
    const mail = verifyEmailMail(fr, 'a@example.com', url, 'Parley', false);
    expect(mail.headers?.['Content-Language']).toBe('fr');
    const doc = parse(mail.html!);
    const button = doc.querySelector('a')!;
    expect(button.getAttribute('href')).toBe(url);
    expect(button.textContent).toBe(fr.t('email.verify.action', { kind: 'new' }));
    expect(button.getAttribute('style')).toMatch(/display:inline-block;background:/);
    // The text part's words, line by line, all in the HTML (the link's line is the button's).
    const shown = seen(doc);
    for (const line of mail.text.split('\n').filter((l) => l.trim() !== '' && l !== url)) expect(shown).toContain(fold(line));
    expect(shown).not.toMatch(/\b(?:the|link|you|this)\b/i);
  });

  test('the reset link is the button; the links of "already registered" are links showing their addresses', () => {
    const en = createTranslator('en');
    const reset = parse(passwordResetMail(en, 'a@example.com', 'https://x.test/reset-password?token=t', 'Parley').html!);
    expect([...reset.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.textContent])).toEqual([['https://x.test/reset-password?token=t', 'Choose a new password']]);
    const again = alreadyRegisteredMail(en, 'a@example.com', 'https://x.test/signin', 'https://x.test/forgot-password', 'Parley');
    const doc = parse(again.html!);
    expect([...doc.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.textContent])).toEqual([
      ['https://x.test/signin', 'https://x.test/signin'],
      ['https://x.test/forgot-password', 'https://x.test/forgot-password'],
    ]);
    expect(again.headers?.['Content-Language']).toBe('en-GB');
    // The text part is unchanged: addresses in the sentence, then the signature.
    expect(again.text).toContain('To sign in: https://x.test/signin\nForgot your password? https://x.test/forgot-password');
    expect(again.text.endsWith(en.t('email.signature', { site: 'Parley' }))).toBe(true);
  });

  test('in the pseudo-locale every word of the HTML comes framed from the catalogs', () => {
    const mail = alreadyRegisteredMail(createTranslator('en-XA'), 'a@example.com', 'https://x.test/signin', 'https://x.test/forgot-password', 'Parley');
    const doc = parse(mail.html!);
    for (const a of doc.querySelectorAll('a')) a.remove();
    doc.querySelector('.site-name')!.remove();
    let text = seen(doc);
    for (let before = ''; before !== text; ) [before, text] = [text, text.replace(/⟦[^⟦⟧]*⟧/g, ' ')];
    expect(text.split('Parley').join(' ').match(/[A-Za-z]{2,}/g)).toBeNull();
  });
});
