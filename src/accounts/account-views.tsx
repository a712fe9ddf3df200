import type { PageChrome } from '../ui/chrome.ts';
import { AccountShell, CsrfField, FormProblems, Notice, TextField, type FormState } from './form-fields.tsx';
import { PASSWORD_MIN } from './passwords.ts';
import { avatarPath, readerPath } from './presenter.ts';
import { BIO_MAX } from './rules.ts';
import { visibleAddresses, type Account, type SessionInfo } from './store.ts';
import { dateFormatter } from '../ui/date-format.ts';

// The reader's own account page: profile, address, password, sessions, their data.

export type AccountForm = 'profile' | 'email' | 'password' | 'sessions' | 'delete';

export interface AccountPageProps {
  chrome: PageChrome;
  account: Account;
  sessions: SessionInfo[];
  notice?: string | null;
  /** The form that was just sent back with problems, with what was typed in it. */
  form?: AccountForm;
  state?: FormState;
}

const when = (iso: string) =>
  dateFormatter({ dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC';

/** "Firefox on Linux" from a user agent, enough to recognise one's own devices. */
export function describeUserAgent(ua: string): string {
  if (!ua) return 'Unknown browser';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null;
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : null;
  if (browser && os) return `${browser} on ${os}`;
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
  const stateFor = (name: AccountForm): FormState | undefined => (form === name ? state : undefined);
  const profileState = stateFor('profile') ?? { values: { displayName: account.displayName, bio: account.bio } };
  const currentId = chrome.actor?.sessionId;
  const { email, pendingEmail } = visibleAddresses(account);
  return (
    <AccountShell chrome={chrome} title="Your account" wide>
      <h1>Your account</h1>
      {notice ? <Notice>{notice}</Notice> : null}

      <Section id="profile" title="Profile">
        <div class="account-profile">
          <img class="avatar avatar--large" src={avatarPath(account.handle)} alt="" width={96} height={96} />
          <p>
            Your public page: <a href={readerPath(account.handle)}>{`${chrome.site.publicUrl}${readerPath(account.handle)}`}</a>
          </p>
        </div>
        <form method="post" action="/account/profile" class="account-form" novalidate>
          <CsrfField chrome={chrome} />
          <FormProblems problem={profileState.problem} id="profile-problems" />
          <TextField form="profile" name="displayName" label="Display name" autocomplete="nickname" state={profileState} />
          <TextField form="profile" name="bio" label="Short bio" multiline required={false} state={profileState}
            hint={`Optional, up to ${BIO_MAX} characters, shown on your public page.`} />
          <button type="submit" class="button">Save profile</button>
        </form>
      </Section>

      <Section id="email" title="E-mail address">
        {email ? (
          <p>
            Your address is <strong>{email}</strong> {account.emailVerified ? '(confirmed).' : '(not confirmed yet).'}
          </p>
        ) : null}
        {pendingEmail ? (
          <p>
            Waiting for confirmation: <strong>{pendingEmail}</strong>. Open the link we sent there.
          </p>
        ) : null}
        {pendingEmail || !account.emailVerified ? (
          <form method="post" action="/account/verify-email/resend" class="inline-form">
            <CsrfField chrome={chrome} />
            <button type="submit" class="button button--quiet">Send the confirmation link again</button>
          </form>
        ) : null}
        <form method="post" action="/account/email" class="account-form" novalidate>
          <CsrfField chrome={chrome} />
          <FormProblems problem={stateFor('email')?.problem} id="email-problems" />
          <TextField form="email" name="email" label="New e-mail address" type="email" autocomplete="email" state={stateFor('email')}
            hint="We send a link to the new address; your account moves to it once you open the link." />
          <TextField form="email" name="currentPassword" label="Current password" type="password" autocomplete="current-password" state={stateFor('email')} />
          <button type="submit" class="button">Change e-mail address</button>
        </form>
      </Section>

      <Section id="password" title="Password">
        <form method="post" action="/account/password" class="account-form" novalidate>
          <CsrfField chrome={chrome} />
          <FormProblems problem={stateFor('password')?.problem} id="password-problems" />
          <TextField form="password" name="currentPassword" label="Current password" type="password" autocomplete="current-password" state={stateFor('password')} />
          <TextField form="password" name="newPassword" label="New password" type="password" autocomplete="new-password" state={stateFor('password')}
            hint={`At least ${PASSWORD_MIN} characters. Saving it signs you out on every other device.`} />
          <button type="submit" class="button">Change password</button>
        </form>
      </Section>

      <Section id="sessions" title="Where you are signed in">
        <FormProblems problem={stateFor('sessions')?.problem} id="sessions-problems" />
        <ul class="session-list">
          {sessions.map((s) => (
            <li class="session">
              <span class="session__device">{describeUserAgent(s.userAgent)}</span>
              {s.id === currentId ? <strong class="session__current"> (this device)</strong> : null}
              <span class="session__seen">
                Last active <time dateTime={s.lastSeenAt}>{when(s.lastSeenAt)}</time>
              </span>
              <form method="post" action={`/account/sessions/${s.id}/revoke`} class="inline-form">
                <CsrfField chrome={chrome} />
                <button type="submit" class="button button--quiet" aria-label={`Sign out ${describeUserAgent(s.userAgent)}${s.id === currentId ? ' (this device)' : ''}`}>
                  Sign out
                </button>
              </form>
            </li>
          ))}
        </ul>
        <form method="post" action="/account/signout-everywhere" class="inline-form">
          <CsrfField chrome={chrome} />
          <button type="submit" class="button button--quiet">Sign out everywhere</button>
        </form>
      </Section>

      <Section id="data" title="Your data">
        <p>A JSON file of everything {chrome.site.name} holds about you.</p>
        <p>
          <a class="button button--quiet" href="/account/export" download>
            Download my data
          </a>
        </p>
      </Section>

      <Section id="delete" title="Delete your account">
        <p>
          Your address, password, name, bio and sessions are removed at once, and you are signed out everywhere. This cannot be undone.
        </p>
        <form method="post" action="/account/delete" class="account-form" novalidate>
          <CsrfField chrome={chrome} />
          <FormProblems problem={stateFor('delete')?.problem} id="delete-problems" />
          {account.passwordHash ? (
            <TextField form="delete" name="password" label="Your password" type="password" autocomplete="current-password" state={stateFor('delete')} />
          ) : null}
          <ConfirmBox error={stateFor('delete')?.problem?.forField('confirm')} />
          <button type="submit" class="button button--danger">Delete my account</button>
        </form>
      </Section>
    </AccountShell>
  );
}

function ConfirmBox({ error }: { error?: string }) {
  return (
    <div class={error ? 'field field--check field--invalid' : 'field field--check'}>
      {error ? (
        <p class="field__error" id="delete-confirm-error">
          {error}
        </p>
      ) : null}
      <input type="checkbox" id="delete-confirm" name="confirm" value="1" required aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'delete-confirm-error' : undefined} />
      <label for="delete-confirm">I understand that my account is deleted for good</label>
    </div>
  );
}
