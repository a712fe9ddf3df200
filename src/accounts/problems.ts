import { HttpError } from '../http/errors.ts';

// What can be wrong with what a reader typed into an account form. Commands throw one
// AccountProblem listing every problem found; the API answers with the first one (the one error
// shape of the API), the pages show each next to its field.

export type Field = 'email' | 'password' | 'displayName' | 'bio' | 'currentPassword' | 'newPassword' | 'token' | 'confirm';

export interface Problem {
  field: Field | null;
  code: string;
  message: string;
  status: number;
}

/** An HttpError, so an API route can let it through: the error handler answers with the first problem. */
export class AccountProblem extends HttpError {
  constructor(readonly problems: Problem[]) {
    super(problems[0]?.status ?? 400, problems[0]?.code ?? 'bad_request', problems[0]?.message ?? 'That did not work.');
  }

  get status(): number {
    return this.statusCode;
  }

  static one(field: Field | null, code: string, message: string, status = 400): AccountProblem {
    return new AccountProblem([{ field, code, message, status }]);
  }

  /** The message for a field, for the form that shows it. */
  forField(field: Field): string | undefined {
    return this.problems.find((p) => p.field === field)?.message;
  }

  /** Messages that belong to no field, shown above the form. */
  general(): string[] {
    return this.problems.filter((p) => p.field === null).map((p) => p.message);
  }
}

/** Collects problems, then throws them together; the API reports the first. */
export class ProblemList {
  private readonly problems: Problem[] = [];

  add(field: Field | null, code: string, message: string | null, status = 400): void {
    if (message !== null) this.problems.push({ field, code, message, status });
  }

  get empty(): boolean {
    return this.problems.length === 0;
  }

  throwIfAny(): void {
    if (this.problems.length) throw new AccountProblem(this.problems);
  }
}

export const WRONG_PASSWORD = 'That is not your current password.';
export const WRONG_CREDENTIALS = 'The e-mail address or the password is not right. Check both and try again.';
