import { matchSupported } from './negotiate.ts';
import { SOURCE_LOCALE, SUPPORTED_LOCALES } from './locales.ts';
import { createTranslator, type Translator } from './translator.ts';

// Commands speak the language of the shell that runs them, as other command-line tools do: LC_ALL,
// then LC_MESSAGES, then LANG ("fr_FR.UTF-8" is French; "C" and "POSIX" are English). Output meant
// for programs (--json) never changes with it.

export function cliLocale(env: NodeJS.ProcessEnv = process.env): string {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const value = env[name]?.trim();
    if (!value) continue;
    // The first variable set decides, even when Parley does not speak its language.
    const tag = value.split(/[.@]/)[0]!.replace('_', '-');
    if (tag === 'C' || tag === 'POSIX') return SOURCE_LOCALE;
    return matchSupported(tag, SUPPORTED_LOCALES) ?? SOURCE_LOCALE;
  }
  return SOURCE_LOCALE;
}

/** The translator for a command's words to people. */
export const cliTranslator = (env: NodeJS.ProcessEnv = process.env): Translator => createTranslator(cliLocale(env));
