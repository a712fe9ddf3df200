import type { Translator } from '../i18n/translator.ts';

/** A role's name in the reader's language; the form still sends the role's code. */
export const roleName = (t: Translator['t'], role: string) => t('moderation.role', { role });
