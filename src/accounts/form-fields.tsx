import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import type { AccountProblem, Field } from './problems.ts';

// The building blocks of the account pages: every field has a visible label, and its error sits next
// to it, tied with aria-describedby and flagged with aria-invalid, so a screen reader hears both.

export interface FormState {
  values?: Record<string, string>;
  problem?: AccountProblem | null;
}

export function AccountShell({ chrome, title, children, wide = false }: { chrome: PageChrome; title: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${title} — ${chrome.site.name}`}>
      <div class={wide ? 'account-page account-page--wide' : 'account-page'}>{children}</div>
    </Layout>
  );
}

export const CsrfField = ({ chrome }: { chrome: PageChrome }) => <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />;

/** Problems that belong to no field, and a count of the others, at the top of the form. */
export function FormProblems({ problem, id }: { problem?: AccountProblem | null; id: string }) {
  if (!problem) return null;
  const general = problem.general();
  const fieldCount = problem.problems.length - general.length;
  return (
    <div class="form-problems" role="alert" id={id} tabIndex={-1}>
      {general.map((message) => (
        <p>{message}</p>
      ))}
      {fieldCount > 0 ? <p>{fieldCount === 1 ? 'Please correct the field marked below.' : `Please correct the ${fieldCount} fields marked below.`}</p> : null}
    </div>
  );
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
  const id = `${form}-${name}`;
  const error = state?.problem?.forField(name);
  // Passwords are never sent back into the page.
  const value = type === 'password' ? '' : (state?.values?.[name] ?? '');
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const common = { id, name, required, autocomplete, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': describedBy, maxLength };
  return (
    <div class={error ? 'field field--invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {multiline ? <textarea {...common} rows={4}>{value}</textarea> : <input {...common} type={type} value={value} />}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice" role="status">
      {children}
    </div>
  );
}
