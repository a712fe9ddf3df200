import type { PageChrome } from '../ui/chrome.ts';
import { AccountShell, CsrfField, FormProblems, Notice, TextField, type FormState } from './form-fields.tsx';
import { PASSWORD_MIN } from './passwords.ts';
import { avatarPath, readerPath } from './presenter.ts';
import { BIO_MAX } from './rules.ts';
import { visibleAddresses, type Account, type SessionInfo } from './store.ts';
import { dateFormatter } from '../ui/date-format.ts';
import { useI18n } from '../i18n/view.ts';
import type { Translator } from '../i18n/translator.ts';
import { htmlLang } from '../i18n/request.ts';
import { SUPPORTED_LOCALES } from '../i18n/locales.ts';

// The reader's own account page: profile, address, password, sessions, their data.

export type AccountForm = 'profile' | 'email' | 'password' | 'sessions' | 'delete' | 'language';

export interface AccountPageProps {
  chrome: PageChrome;
  account: Account;
  sessions: SessionInfo[];
  notice?: string | null;
  /** The form that was just sent back with problems, with what was typed in it. */
  form?: AccountForm;
  state?: FormState;
}

/** A session's last activity in the reader's language, in UTC (the zone is named: "UTC"). */
const when = (iso: string, locale: string) =>
  dateFormatter({ dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }, htmlLang(locale)).format(new Date(iso)) + ' UTC';

/** "Firefox on Linux" from a user agent, enough to recognise one's own devices. */
export function describeUserAgent(ua: string, i18n?: Translator): string {
  if (!ua) return i18n ? i18n.t('accounts.sessions.unknownBrowser') : 'Unknown browser';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null;
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : null;
  if (browser && os) return i18n ? i18n.t('accounts.sessions.device', { browser, os }) : `${browser} on ${os}`;
  return browser ?? os ?? ua.slice(0, 60);
}

function Section({ id, title, children }: { id: string; title: string; children: preact.ComponentChildren }) {
  return (
    <section class="account-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}

export function AccountPage({ chrome, account, sessions, notice, form, state }: AccountPageProps) {
  const i18n = useI18n();
  const { t, rich, locale } = i18n;
  const stateFor = (name: AccountForm): FormState | undefined => (form === name ? state : undefined);
  const profileState = stateFor('profile') ?? { values: { displayName: account.displayName, bio: account.bio } };
  const currentId = chrome.actor?.sessionId;
  const { email, pendingEmail } = visibleAddresses(account);
  return (
    <AccountShell chrome={chrome} title={t('accounts.page.title')} wide>
      <h1>{t('accounts.page.title')}</h1>
      {notice ? <Notice>{notice}</Notice> : null}

      <Section id="profile" title={t('accounts.profile.title')}>
        <div class="account-profile">
          <img class="avatar avatar--large" src={avatarPath(account.handle)} alt="" width={96} height={96} />
          <p>{rich('accounts.profile.publicPage', { link: <a href={readerPath(account.handle)}>{`${chrome.site.publicUrl}${readerPath(account.handle)}`}</a> })}</p>
        </div>
        <form method="post" action="/account/profile" class="account-form" novalidate>
          <CsrfField chrome={chrome} />
          <FormProblems problem={profileState.problem} id="profile-problems" />
          <TextField form="profile" name="displayName" label={t('accounts.field.displayName')} autocomplete="nickname" state={profileState} />
          <TextField form="profile" name="bio" label={t('accounts.field.bio')} multiline required={false} state={profileState}
            hint={t('accounts.profile.bioHint', { max: BIO_MAX })} />
          <button type="submit" class="button">{t('accounts.profile.submit')}</button>
        </form>
      </Section>

      <LanguageSection chrome={chrome} current={account.locale ?? null} state={stateFor('language')} />

      <Section id="email" title={t('accounts.field.email')}>
        {email ? <p>{rich('accounts.email.current', { address: <strong>{email}</strong>, confirmed: account.emailVerified ? 'yes' : 'no' })}</p> : null}
        {pendingEmail ? <p>{rich('accounts.email.pending', { address: <strong>{pendingEmail}</strong> })}</p> : null}
        {pendingEmail || !account.emailVerified ? (
          <form method="post" action="/account/verify-email/resend" class="inline-form">
            <CsrfField chrome={chrome} />
            <button type="submit" class="button button--quiet">{t('accounts.email.resend')}</button>
          </form>
        ) : null}
        <form method="post" action="/account/email" class="account-form" novalidate>
          <CsrfField chrome={chrome} />
          <FormProblems problem={stateFor('email')?.problem} id="email-problems" />
          <TextField form="email" name="email" label={t('accounts.field.newEmail')} type="email" autocomplete="email" state={stateFor('email')}
            hint={t('accounts.email.hint')} />
          <TextField form="email" name="currentPassword" label={t('accounts.field.currentPassword')} type="password" autocomplete="current-password" state={stateFor('email')} />
          <button type="submit" class="button">{t('accounts.email.submit')}</button>
        </form>
      </Section>

      <Section id="password" title={t('accounts.field.password')}>
        <form method="post" action="/account/password" class="account-form" novalidate>
          <CsrfField chrome={chrome} />
          <FormProblems problem={stateFor('password')?.problem} id="password-problems" />
          <TextField form="password" name="currentPassword" label={t('accounts.field.currentPassword')} type="password" autocomplete="current-password" state={stateFor('password')} />
          <TextField form="password" name="newPassword" label={t('accounts.field.newPassword')} type="password" autocomplete="new-password" state={stateFor('password')}
            hint={t('accounts.password.hint', { min: PASSWORD_MIN })} />
          <button type="submit" class="button">{t('accounts.password.submit')}</button>
        </form>
      </Section>

      <Section id="sessions" title={t('accounts.sessions.title')}>
        <FormProblems problem={stateFor('sessions')?.problem} id="sessions-problems" />
        <ul class="session-list">
          {sessions.map((s) => (
            <li class="session">
              <span class="session__device">{describeUserAgent(s.userAgent, i18n)}</span>
              {s.id === currentId ? <strong class="session__current"> {t('accounts.sessions.thisDevice')}</strong> : null}
              <span class="session__seen">{rich('accounts.sessions.lastActive', { time: <time dateTime={s.lastSeenAt}>{when(s.lastSeenAt, locale)}</time> })}</span>
              <form method="post" action={`/account/sessions/${s.id}/revoke`} class="inline-form">
                <CsrfField chrome={chrome} />
                <button type="submit" class="button button--quiet" aria-label={t('accounts.sessions.signOutLabel', { device: describeUserAgent(s.userAgent, i18n), current: s.id === currentId ? 'yes' : 'no' })}>
                  {t('accounts.nav.signOut')}
                </button>
              </form>
            </li>
          ))}
        </ul>
        <form method="post" action="/account/signout-everywhere" class="inline-form">
          <CsrfField chrome={chrome} />
          <button type="submit" class="button button--quiet">{t('accounts.sessions.everywhere')}</button>
        </form>
      </Section>

      <Section id="data" title={t('accounts.data.title')}>
        <p>{t('accounts.data.lead', { site: chrome.site.name })}</p>
        <p>
          <a class="button button--quiet" href="/account/export" download>
            {t('accounts.data.download')}
          </a>
        </p>
      </Section>

      <Section id="delete" title={t('accounts.delete.title')}>
        <p>{t('accounts.delete.lead')}</p>
        <form method="post" action="/account/delete" class="account-form" novalidate>
          <CsrfField chrome={chrome} />
          <FormProblems problem={stateFor('delete')?.problem} id="delete-problems" />
          {account.passwordHash ? (
            <TextField form="delete" name="password" label={t('accounts.field.yourPassword')} type="password" autocomplete="current-password" state={stateFor('delete')} />
          ) : null}
          <ConfirmBox error={stateFor('delete')?.problem?.forField('confirm', i18n)} />
          <button type="submit" class="button button--danger">{t('accounts.delete.submit')}</button>
        </form>
      </Section>
    </AccountShell>
  );
}

function ConfirmBox({ error }: { error?: string }) {
  const { t } = useI18n();
  return (
    <div class={error ? 'field field--check field--invalid' : 'field field--check'}>
      {error ? (
        <p class="field__error" id="delete-confirm-error">
          {error}
        </p>
      ) : null}
      <input type="checkbox" id="delete-confirm" name="confirm" value="1" required aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'delete-confirm-error' : undefined} />
      <label for="delete-confirm">{t('accounts.delete.confirm')}</label>
    </div>
  );
}

/**
 * The reader's language: the site's (which also follows the browser), or one Parley speaks. Each
 * language is named in itself, so a reader who landed on a page they cannot read still finds theirs.
 */
function LanguageSection({ chrome, current, state }: { chrome: PageChrome; current: string | null; state?: FormState }) {
  const { t } = useI18n();
  // The one problem this form can have (locale-preference.ts), in the reader's words.
  const error = state?.problem?.forField('locale') ? t('accounts.language.invalid', { choices: SUPPORTED_LOCALES.map((l) => LANGUAGE_NAMES[l]).join(', ') }) : null;
  const choices: { value: string; label: string; lang?: string }[] = [
    { value: '', label: t('accounts.language.siteDefault') },
    ...SUPPORTED_LOCALES.map((locale) => ({ value: locale, label: LANGUAGE_NAMES[locale], lang: htmlLang(locale) })),
  ];
  return (
    <Section id="language" title={t('accounts.language.title')}>
      <form method="post" action="/account/language" class="account-form" novalidate>
        <CsrfField chrome={chrome} />
        <fieldset class={error ? 'field field--invalid' : 'field'} aria-describedby={error ? 'language-error' : 'language-hint'}>
          <legend>{t('accounts.language.legend')}</legend>
          <p class="field__hint" id="language-hint">
            {t('accounts.language.hint')}
          </p>
          {error ? (
            <p class="field__error" id="language-error">
              {error}
            </p>
          ) : null}
          {choices.map((choice) => (
            <div class="field--check">
              <input type="radio" id={`language-${choice.value || 'site'}`} name="locale" value={choice.value} checked={(current ?? '') === choice.value} />
              <label for={`language-${choice.value || 'site'}`} lang={choice.lang}>
                {choice.label}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button">{t('accounts.language.submit')}</button>
      </form>
    </Section>
  );
}

/** Each language's name in that language ("endonym"): the same in every page language. */
const LANGUAGE_NAMES: Record<(typeof SUPPORTED_LOCALES)[number], string> = { en: 'English', fr: 'Français' };
