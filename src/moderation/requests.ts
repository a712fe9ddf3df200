import { HttpError } from '../http/errors.ts';
import type { Verdict } from './policy.ts';

export function check(verdict: Verdict): void {
  if (!verdict.allowed) throw HttpError.translated(verdict.status, verdict.code, verdict.key, verdict.values);
}


export const isBeforeCursor = (value: unknown): value is { b: number } =>
  typeof value === 'object' && value !== null && Number.isSafeInteger((value as { b: unknown }).b) && (value as { b: number }).b > 0;
