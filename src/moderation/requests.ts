import { HttpError } from '../http/errors.ts';
import { ModerationRefused } from './commands.ts';
import type { Verdict } from './policy.ts';

export function check(verdict: Verdict): void {
  if (!verdict.allowed) throw new HttpError(verdict.status, verdict.code, verdict.message);
}

export function fromModerationRefused(error: unknown): unknown {
  return error instanceof ModerationRefused ? new HttpError(error.status, error.code, error.message) : error;
}

/** Runs a command and turns its refusals into HTTP answers. */
export async function refusing<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw fromModerationRefused(error);
  }
}

export const isBeforeCursor = (value: unknown): value is { b: number } =>
  typeof value === 'object' && value !== null && Number.isSafeInteger((value as { b: unknown }).b) && (value as { b: number }).b > 0;
