import type { ComponentChildren } from 'preact';
import type { PageChrome } from '../ui/chrome.ts';
import { AccountShell, CsrfField, FormProblems, Notice, TextField, type FormState } from './form-fields.tsx';
import { PASSWORD_MIN } from './passwords.ts';
import { DISPLAY_NAME_MAX, DISPLAY_NAME_MIN } from './rules.ts';
import { useI18n } from '../i18n/view.ts';

// The pages of the way in: register, sign in, forgot and reset the password, verify the address.

const NextField = ({ next }: { next: string }) => (next !== '/' ? <input type="hidden" name="next" value={next} /> : null);
const withNext = (path: string, next: string) => (next !== '/' ? `${path}?next=${encodeURIComponent(next)}` : path);

export function RegisterPage({ chrome, state, next }: { chrome: PageChrome; state?: FormState; next: string }) {
  const { t, rich } = useI18n();
  return (
    <AccountShell chrome={chrome} title={t('accounts.register.title')}>
      <h1>{t('accounts.register.title')}</h1>
      <p class="account-page__lead">{rich('accounts.register.lead', { link: <a href={withNext('/signin', next)}>{t('accounts.register.signInLink')}</a> })}</p>
      <form method="post" action="/register" class="account-form" novalidate>
        <CsrfField chrome={chrome} />
        <NextField next={next} />
        <FormProblems problem={state?.problem} id="register-problems" />
        <TextField form="register" name="email" label={t('accounts.field.email')} type="email" autocomplete="email" state={state}
          hint={t('accounts.register.emailHint')} />
        <TextField form="register" name="displayName" label={t('accounts.field.displayName')} autocomplete="nickname" state={state}
          hint={t('accounts.register.displayNameHint', { min: DISPLAY_NAME_MIN, max: DISPLAY_NAME_MAX })} />
        <TextField form="register" name="password" label={t('accounts.field.password')} type="password" autocomplete="new-password" state={state}
          hint={t('accounts.register.passwordHint', { min: PASSWORD_MIN })} />
        <button type="submit" class="button">{t('accounts.register.submit')}</button>
      </form>
    </AccountShell>
  );
}

/** `alternative`: another way in, e.g. "Sign in with <publisher>" (src/sso), shown under the form. */
export function SignInPage({ chrome, state, next, notice, alternative = null }: { chrome: PageChrome; state?: FormState; next: string; notice?: string | null; alternative?: ComponentChildren }) {
  const { t, rich } = useI18n();
  return (
    <AccountShell chrome={chrome} title={t('accounts.signIn.title')}>
      <h1>{t('accounts.signIn.title')}</h1>
      {notice ? <Notice>{notice}</Notice> : null}
      <p class="account-page__lead">{rich('accounts.signIn.lead', { link: <a href={withNext('/register', next)}>{t('accounts.signIn.registerLink')}</a> })}</p>
      <form method="post" action="/signin" class="account-form" novalidate>
        <CsrfField chrome={chrome} />
        <NextField next={next} />
        <FormProblems problem={state?.problem} id="signin-problems" />
        <TextField form="signin" name="email" label={t('accounts.field.email')} type="email" autocomplete="username" state={state} />
        <TextField form="signin" name="password" label={t('accounts.field.password')} type="password" autocomplete="current-password" state={state} />
        <div class="field field--check">
          <input type="checkbox" id="signin-remember" name="remember" value="1" checked={state?.values?.remember === '1'} />
          <label for="signin-remember">{t('accounts.signIn.remember')}</label>
        </div>
        <button type="submit" class="button">{t('accounts.signIn.submit')}</button>
      </form>
      {alternative}
      <p>
        <a href="/forgot-password">{t('accounts.forgot.title')}</a>
      </p>
    </AccountShell>
  );
}

export function ForgotPasswordPage({ chrome, state, sent }: { chrome: PageChrome; state?: FormState; sent?: boolean }) {
  const { t } = useI18n();
  return (
    <AccountShell chrome={chrome} title={t('accounts.forgot.title')}>
      <h1>{t('accounts.forgot.title')}</h1>
      {sent ? <Notice>{t('accounts.forgot.sent', { minutes: 30 })}</Notice> : <p class="account-page__lead">{t('accounts.forgot.lead')}</p>}
      <form method="post" action="/forgot-password" class="account-form" novalidate>
        <CsrfField chrome={chrome} />
        <FormProblems problem={state?.problem} id="forgot-problems" />
        <TextField form="forgot" name="email" label={t('accounts.field.email')} type="email" autocomplete="email" state={state} />
        <button type="submit" class="button">{t('accounts.forgot.submit', { sent: sent ? 'yes' : 'no' })}</button>
      </form>
    </AccountShell>
  );
}

export function ResetPasswordPage({ chrome, token, state, tokenProblem }: { chrome: PageChrome; token: string; state?: FormState; tokenProblem?: string | null }) {
  const { t } = useI18n();
  return (
    <AccountShell chrome={chrome} title={t('accounts.reset.title')}>
      <h1>{t('accounts.reset.title')}</h1>
      {tokenProblem ? (
        <>
          <div class="form-problems" role="alert">
            <p>{tokenProblem}</p>
          </div>
          <p>
            <a href="/forgot-password">{t('accounts.reset.newLink')}</a>
          </p>
        </>
      ) : (
        <form method="post" action="/reset-password" class="account-form" novalidate>
          <CsrfField chrome={chrome} />
          <input type="hidden" name="token" value={token} />
          <FormProblems problem={state?.problem} id="reset-problems" />
          <TextField form="reset" name="password" label={t('accounts.field.newPassword')} type="password" autocomplete="new-password" state={state}
            hint={t('accounts.reset.passwordHint', { min: PASSWORD_MIN })} />
          <button type="submit" class="button">{t('accounts.reset.submit')}</button>
        </form>
      )}
    </AccountShell>
  );
}

export function VerifyEmailPage({ chrome, problem, next = null }: { chrome: PageChrome; problem: string | null; next?: string | null }) {
  const { t } = useI18n();
  const title = t('accounts.verify.title', { outcome: problem ? 'failed' : 'confirmed' });
  return (
    <AccountShell chrome={chrome} title={title}>
      <h1>{title}</h1>
      {problem ? (
        <div class="form-problems" role="alert">
          <p>{problem}</p>
        </div>
      ) : (
        <Notice>{t('accounts.verify.done')}</Notice>
      )}
      {!problem && next ? (
        <p>
          <a class="button button--primary" href={next}>
            {t('accounts.verify.continue')}
          </a>
        </p>
      ) : null}
      <p>
        {chrome.actor ? (
          <a href="/account">{t('accounts.verify.toAccount')}</a>
        ) : (
          <>
            <a href="/signin">{t('accounts.nav.signIn')}</a> · <a href="/">{t('accounts.frontPage')}</a>
          </>
        )}
      </p>
    </AccountShell>
  );
}
