import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { InputField, ProblemSummary } from '../ui/form.tsx';
import { Layout } from '../ui/layout.tsx';
import type { AccountProblem, Field } from './problems.ts';
import { useI18n } from '../i18n/view.ts';

// The building blocks of the account pages: every field has a visible label, and its error sits next
// to it, tied with aria-describedby and flagged with aria-invalid, so a screen reader hears both.

export interface FormState {
  values?: Record<string, string>;
  problem?: AccountProblem | null;
}

export function AccountShell({ chrome, title, children, wide = false }: { chrome: PageChrome; title: string; children: ComponentChildren; wide?: boolean }) {
  const { t } = useI18n();
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={t('layout.title', { page: title, site: chrome.site.name })}>
      <div class={wide ? 'account-page account-page--wide' : 'account-page'}>{children}</div>
    </Layout>
  );
}

export const CsrfField = ({ chrome }: { chrome: PageChrome }) => <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />;

/** Problems that belong to no field, and a count of the others, at the top of the form. */
export function FormProblems({ problem, id }: { problem?: AccountProblem | null; id: string }) {
  const i18n = useI18n();
  if (!problem) return null;
  const general = problem.general(i18n);
  return <ProblemSummary general={general} fieldCount={problem.problems.length - general.length} id={id} />;
}

export interface FieldProps {
  form: string;
  name: Field;
  label: string;
  type?: 'text' | 'email' | 'password';
  state?: FormState;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
  multiline?: boolean;
  maxLength?: number;
}

export function TextField({ form, name, label, type = 'text', state, autocomplete, hint, required = true, multiline = false, maxLength }: FieldProps) {
  const i18n = useI18n();
  // Passwords are never sent back into the page.
  const value = type === 'password' ? '' : (state?.values?.[name] ?? '');
  return <InputField id={`${form}-${name}`} name={name} label={label} type={type} value={value} error={state?.problem?.forField(name, i18n)} hint={hint} required={required} multiline={multiline} maxLength={maxLength} autocomplete={autocomplete} />;
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice" role="status">
      {children}
    </div>
  );
}
