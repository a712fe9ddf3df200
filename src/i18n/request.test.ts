import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { anonymousPageKey } from '../http/anonymous-cache.ts';
import { htmlLang, installRequestLanguage, RequestLanguages, type SiteLanguage } from './request.ts';

const languages = (site: SiteLanguage = { locale: 'en', localeForced: false }, pseudo = false) => new RequestLanguages({ pseudo, siteLanguage: async () => site });

describe('RequestLanguages', () => {
  test('the browser’s first language Parley speaks, or "" for none or for anything', () => {
    const l = languages();
    expect(l.browserLocale('fr-CA,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(l.browserLocale('de-DE, en-US;q=0.7')).toBe('en');
    expect(l.browserLocale('de, es')).toBe('');
    expect(l.browserLocale('*')).toBe('');
    expect(l.browserLocale(undefined)).toBe('');
    expect(l.browserLocale(['fr;q=0.1', 'en'])).toBe('en');
  });

  test('the pseudo-locale answers only where it is switched on; elsewhere en-XA reads as English', () => {
    expect(languages().browserLocale('en-XA')).toBe('en');
    expect(languages(undefined, true).browserLocale('en-XA')).toBe('en-XA');
    expect(languages(undefined, true).translatorFor(null, 'en-XA').locale).toBe('en-XA');
  });

  test('site default, then the reader’s choice, then the browser; a forced site language beats both', async () => {
    const french = languages({ locale: 'fr', localeForced: false });
    await french.refresh();
    expect(french.translatorFor(null, undefined).locale).toBe('fr');
    expect(french.translatorFor(null, 'en-GB').locale).toBe('en');
    expect(french.translatorFor('en', 'fr').locale).toBe('en');
    const forced = languages({ locale: 'fr', localeForced: true });
    await forced.refresh();
    expect(forced.translatorFor('en', 'en').locale).toBe('fr');
  });

  test('a database that cannot answer leaves the last settings in force', async () => {
    let fail = false;
    const l = new RequestLanguages({ siteLanguage: async () => {
      if (fail) throw new Error('database down');
      return { locale: 'fr', localeForced: false };
    } });
    await l.refresh();
    fail = true;
    await expect(l.refresh()).resolves.toBeUndefined();
    expect(l.translatorFor(null, undefined).locale).toBe('fr');
  });

  test('anonymous cache keys differ by the language the browser gets, and only by that', () => {
    const l = languages();
    const url = '/articles/x';
    expect(anonymousPageKey(url, undefined, l)).toBe(url);
    expect(anonymousPageKey(url, 'de', l)).toBe(url);
    expect(anonymousPageKey(url, 'fr-FR,fr;q=0.9', l)).toBe(anonymousPageKey(url, 'fr', l));
    expect(anonymousPageKey(url, 'fr', l)).not.toBe(anonymousPageKey(url, 'en', l));
    expect(anonymousPageKey(url, 'en', l)).not.toBe(url);
  });

  test('British English is the page language of "en"', () => {
    expect(htmlLang('en')).toBe('en-GB');
    expect(htmlLang('fr')).toBe('fr');
  });
});

describe('installRequestLanguage', () => {
  test('gives each request its translator, and marks HTML as varying with Accept-Language', async () => {
    const app = Fastify();
    app.decorateRequest('actor', null);
    installRequestLanguage(app, languages({ locale: 'en', localeForced: false }));
    app.get('/page', async (request, reply) => reply.type('text/html; charset=utf-8').header('vary', 'accept-encoding').send(`<p>${request.i18n.t('layout.skipLink')}</p>`));
    app.get('/json', async (request) => ({ message: request.i18n.t('errors.notFound') }));
    const fr = await app.inject({ url: '/page', headers: { 'accept-language': 'fr-FR,fr;q=0.9' } });
    expect(fr.body).toBe('<p>Aller au contenu</p>');
    expect(fr.headers.vary).toBe('accept-encoding, accept-language');
    expect(fr.headers['content-language']).toBe('fr');
    const en = await app.inject({ url: '/page', headers: { 'accept-language': 'en-US' } });
    expect(en.body).toBe('<p>Skip to content</p>');
    expect(en.headers['content-language']).toBe('en-GB');
    const json = await app.inject({ url: '/json', headers: { 'accept-language': 'fr' } });
    expect(json.json()).toEqual({ message: 'Il n’y a rien à cette adresse.' });
    expect(json.headers.vary).toBeUndefined();
    await app.close();
  });
});
