import { HttpError } from './errors.ts';

// Cursors are opaque to clients: base64url JSON, checked on the way back in.

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(raw: string | undefined, isValid: (value: unknown) => value is T): T | null {
  if (raw === undefined || raw === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (isValid(value)) return value;
  } catch {
    // Falls through to the same message as a well-formed but wrong cursor.
  }
  throw HttpError.translated(400, 'invalid_cursor', 'errors.http.invalidCursor');
}
