import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { SOURCE_LOCALE } from './locales.ts';
import { createTranslator, type Translator } from './translator.ts';

// Views read the request's language from context rather than from a prop threaded through every
// component: renderDocument (ui/render.ts) provides it for the whole page, and a page rendered
// without one reads in English, the source language.

export const I18nContext = createContext<Translator>(createTranslator(SOURCE_LOCALE));

/** The translator of the page being rendered: `const { t, locale } = useI18n()`. */
export const useI18n = (): Translator => useContext(I18nContext);
