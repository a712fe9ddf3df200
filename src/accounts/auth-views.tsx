import type { ComponentChildren } from 'preact';
import type { PageChrome } from '../ui/chrome.ts';
import { AccountShell, CsrfField, FormProblems, Notice, TextField, type FormState } from './form-fields.tsx';
import { PASSWORD_MIN } from './passwords.ts';
import { DISPLAY_NAME_MAX, DISPLAY_NAME_MIN } from './rules.ts';

// The pages of the way in: register, sign in, forgot and reset the password, verify the address.

const NextField = ({ next }: { next: string }) => (next !== '/' ? <input type="hidden" name="next" value={next} /> : null);
const withNext = (path: string, next: string) => (next !== '/' ? `${path}?next=${encodeURIComponent(next)}` : path);

export function RegisterPage({ chrome, state, next }: { chrome: PageChrome; state?: FormState; next: string }) {
  return (
    <AccountShell chrome={chrome} title="Create an account">
      <h1>Create an account</h1>
      <p class="account-page__lead">
        Already have one? <a href={withNext('/signin', next)}>Sign in</a>.
      </p>
      <form method="post" action="/register" class="account-form" novalidate>
        <CsrfField chrome={chrome} />
        <NextField next={next} />
        <FormProblems problem={state?.problem} id="register-problems" />
        <TextField form="register" name="email" label="E-mail address" type="email" autocomplete="email" state={state}
          hint="We send a link to confirm it. Other readers never see it." />
        <TextField form="register" name="displayName" label="Display name" autocomplete="nickname" state={state}
          hint={`Shown with what you write: ${DISPLAY_NAME_MIN} to ${DISPLAY_NAME_MAX} characters. You can change it later.`} />
        <TextField form="register" name="password" label="Password" type="password" autocomplete="new-password" state={state}
          hint={`At least ${PASSWORD_MIN} characters. A few unrelated words make a good one.`} />
        <button type="submit" class="button">Create my account</button>
      </form>
    </AccountShell>
  );
}

/** `alternative`: another way in, e.g. "Sign in with <publisher>" (src/sso), shown under the form. */
export function SignInPage({ chrome, state, next, notice, alternative = null }: { chrome: PageChrome; state?: FormState; next: string; notice?: string | null; alternative?: ComponentChildren }) {
  return (
    <AccountShell chrome={chrome} title="Sign in">
      <h1>Sign in</h1>
      {notice ? <Notice>{notice}</Notice> : null}
      <p class="account-page__lead">
        New here? <a href={withNext('/register', next)}>Create an account</a>.
      </p>
      <form method="post" action="/signin" class="account-form" novalidate>
        <CsrfField chrome={chrome} />
        <NextField next={next} />
        <FormProblems problem={state?.problem} id="signin-problems" />
        <TextField form="signin" name="email" label="E-mail address" type="email" autocomplete="username" state={state} />
        <TextField form="signin" name="password" label="Password" type="password" autocomplete="current-password" state={state} />
        <div class="field field--check">
          <input type="checkbox" id="signin-remember" name="remember" value="1" checked={state?.values?.remember === '1'} />
          <label for="signin-remember">Keep me signed in on this device</label>
        </div>
        <button type="submit" class="button">Sign in</button>
      </form>
      {alternative}
      <p>
        <a href="/forgot-password">Forgot your password?</a>
      </p>
    </AccountShell>
  );
}

export function ForgotPasswordPage({ chrome, state, sent }: { chrome: PageChrome; state?: FormState; sent?: boolean }) {
  return (
    <AccountShell chrome={chrome} title="Forgot your password?">
      <h1>Forgot your password?</h1>
      {sent ? (
        <Notice>
          If an account uses that address, we have sent it a link to choose a new password. The link works for 30 minutes. Check your spam
          folder if nothing arrives within a few minutes.
        </Notice>
      ) : (
        <p class="account-page__lead">Enter the address of your account and we will send you a link to choose a new password.</p>
      )}
      <form method="post" action="/forgot-password" class="account-form" novalidate>
        <CsrfField chrome={chrome} />
        <FormProblems problem={state?.problem} id="forgot-problems" />
        <TextField form="forgot" name="email" label="E-mail address" type="email" autocomplete="email" state={state} />
        <button type="submit" class="button">{sent ? 'Send another link' : 'Send me a link'}</button>
      </form>
    </AccountShell>
  );
}

export function ResetPasswordPage({ chrome, token, state, tokenProblem }: { chrome: PageChrome; token: string; state?: FormState; tokenProblem?: string | null }) {
  return (
    <AccountShell chrome={chrome} title="Choose a new password">
      <h1>Choose a new password</h1>
      {tokenProblem ? (
        <>
          <div class="form-problems" role="alert">
            <p>{tokenProblem}</p>
          </div>
          <p>
            <a href="/forgot-password">Ask for a new link</a>
          </p>
        </>
      ) : (
        <form method="post" action="/reset-password" class="account-form" novalidate>
          <CsrfField chrome={chrome} />
          <input type="hidden" name="token" value={token} />
          <FormProblems problem={state?.problem} id="reset-problems" />
          <TextField form="reset" name="password" label="New password" type="password" autocomplete="new-password" state={state}
            hint={`At least ${PASSWORD_MIN} characters. Saving it signs you out everywhere else.`} />
          <button type="submit" class="button">Save my new password</button>
        </form>
      )}
    </AccountShell>
  );
}

export function VerifyEmailPage({ chrome, problem, next = null }: { chrome: PageChrome; problem: string | null; next?: string | null }) {
  return (
    <AccountShell chrome={chrome} title={problem ? 'This link did not work' : 'Address confirmed'}>
      <h1>{problem ? 'This link did not work' : 'Address confirmed'}</h1>
      {problem ? (
        <div class="form-problems" role="alert">
          <p>{problem}</p>
        </div>
      ) : (
        <Notice>Thank you: your e-mail address is confirmed.</Notice>
      )}
      {!problem && next ? (
        <p>
          <a class="button button--primary" href={next}>
            Continue where you were
          </a>
        </p>
      ) : null}
      <p>
        {chrome.actor ? (
          <a href="/account">Go to your account</a>
        ) : (
          <>
            <a href="/signin">Sign in</a> · <a href="/">Front page</a>
          </>
        )}
      </p>
    </AccountShell>
  );
}
