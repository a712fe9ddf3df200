import { HttpError } from '../http/errors.ts';
import { CommunityRefused } from './model.ts';

/** CommunityRefused → the same status, code and words as an HTTP error; anything else unchanged. */
export function asHttp(error: unknown): unknown {
  return error instanceof CommunityRefused ? new HttpError(error.status, error.code, error.message) : error;
}
