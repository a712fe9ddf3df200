import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.ts';

// Input no route can store: text with a NUL character. PostgreSQL's text type cannot hold one (the
// query fails with "invalid byte sequence for encoding UTF8: 0x00", a 500) and SQLite would store it
// where no reader can see it. One check for every route, after the body is parsed and before the
// schemas look at it, so both databases answer the same 400.

const NUL = '\u0000';

/** Whether a parsed value holds a NUL anywhere: in a string, or in a key or value of an array or object. */
function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (item.includes(NUL)) return true;
    } else if (item && typeof item === 'object') {
      for (const [key, inner] of Object.entries(item)) {
        if (key.includes(NUL)) return true;
        stack.push(inner);
      }
    }
  }
  return false;
}

export function installInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const where = hasNul(request.params) ? 'address' : hasNul(request.query) ? 'query' : hasNul(request.body) ? 'body' : null;
    if (where) throw HttpError.translated(400, 'invalid_text', 'errors.http.nulCharacter', { where });
  });
}
