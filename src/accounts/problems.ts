import { HttpError } from '../http/errors.ts';
import { t, type MessageKey, type MessageValues, type Translator } from '../i18n/index.ts';

// What can be wrong with what a reader typed into an account form. Commands throw one
// AccountProblem listing every problem found; the API answers with the first one (the one error
// shape of the API), the pages show each next to its field.

export type Field = 'email' | 'password' | 'displayName' | 'bio' | 'currentPassword' | 'newPassword' | 'token' | 'confirm' | 'locale';

export interface Problem {
  field: Field | null;
  code: string;
  /** English, for logs and for problems not yet in the catalogs. */
  message: string;
  status: number;
  /** The catalog message shown instead of `message`, in the reader's language. */
  key?: MessageKey;
  values?: MessageValues;
}

/** A problem's words for this reader. */
const wordsOf = (p: Problem, i18n?: Translator) => (p.key && i18n ? i18n.t(p.key, p.values) : p.message);

/** An HttpError, so an API route can let it through: the error handler answers with the first problem. */
export class AccountProblem extends HttpError {
  constructor(readonly problems: Problem[]) {
    // The API answers with the first problem, in the reader's language when it is in the catalogs.
    const first = problems[0];
    super(first?.status ?? 400, first?.code ?? 'bad_request', first?.key ? { key: first.key, values: first.values } : (first?.message ?? 'That did not work.'));
  }

  get status(): number {
    return this.statusCode;
  }

  static one(field: Field | null, code: string, message: string, status = 400): AccountProblem {
    return new AccountProblem([{ field, code, message, status }]);
  }

  /** One problem whose words come from the catalogs. */
  static keyed(field: Field | null, code: string, key: MessageKey, values?: MessageValues, status = 400): AccountProblem {
    return new AccountProblem([keyedProblem(field, code, key, values, status)]);
  }

  /** The message for a field, for the form that shows it (in the reader's language given `i18n`). */
  forField(field: Field, i18n?: Translator): string | undefined {
    const problem = this.problems.find((p) => p.field === field);
    return problem ? wordsOf(problem, i18n) : undefined;
  }

  /** Messages that belong to no field, shown above the form. */
  general(i18n?: Translator): string[] {
    return this.problems.filter((p) => p.field === null).map((p) => wordsOf(p, i18n));
  }

  /** The same problems under another field (a sign-in failure is about the pair, not one field). */
  moved(field: Field | null): AccountProblem {
    return new AccountProblem(this.problems.map((p) => ({ ...p, field })));
  }
}

export function keyedProblem(field: Field | null, code: string, key: MessageKey, values?: MessageValues, status = 400): Problem {
  return { field, code, message: t('en', key, values), status, key, values };
}

/** Collects problems, then throws them together; the API reports the first. */
export class ProblemList {
  private readonly problems: Problem[] = [];

  add(field: Field | null, code: string, message: string | null, status = 400): void {
    if (message !== null) this.problems.push({ field, code, message, status });
  }

  /** A problem whose words come from the catalogs; nothing when `key` is null. */
  addKeyed(field: Field | null, code: string, key: MessageKey | null, values?: MessageValues, status = 400): void {
    if (key !== null) this.problems.push(keyedProblem(field, code, key, values, status));
  }

  get empty(): boolean {
    return this.problems.length === 0;
  }

  throwIfAny(): void {
    if (this.problems.length) throw new AccountProblem(this.problems);
  }
}

