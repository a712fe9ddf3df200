import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/view.ts';

// The form controls every page shares (accounts, admin, sites, webhooks): each field has a visible
// label, and its hint and error sit next to it, tied with aria-describedby and flagged with
// aria-invalid, so a screen reader hears both.

export interface InputFieldProps {
  id: string;
  name: string;
  label: string;
  value: string;
  error?: string | null;
  hint?: ComponentChildren;
  type?: 'text' | 'email' | 'password' | 'url';
  multiline?: boolean;
  required?: boolean;
  maxLength?: number;
  autocomplete?: string;
  placeholder?: string;
}

export function InputField({ id, name, label, value, error, hint, type = 'text', multiline = false, required = false, maxLength, autocomplete, placeholder }: InputFieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const common = { id, name, required, maxLength, placeholder, autocomplete, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': describedBy };
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

/** At the top of a refused form: the problems that belong to no field, and how many fields to correct. */
export function ProblemSummary({ general, fieldCount, id }: { general: string[]; fieldCount: number; id: string }) {
  const { t } = useI18n();
  if (general.length === 0 && fieldCount === 0) return null;
  return (
    <div class="form-problems" role="alert" id={id} tabIndex={-1}>
      {general.map((message) => (
        <p>{message}</p>
      ))}
      {fieldCount > 0 ? <p>{t('layout.form.correct', { count: fieldCount })}</p> : null}
    </div>
  );
}
