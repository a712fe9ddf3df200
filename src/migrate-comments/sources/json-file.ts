import fs from 'node:fs/promises';
import { ImportFileError, type ReadPosition } from '../model.ts';

/**
 * A format that is one JSON document (Commento, Parley's export) is read whole: JSON.parse needs it
 * all, and these files are as large as the comments' text. The message names the line JSON.parse
 * stopped at.
 */
export async function readJsonDocument(file: string, position: ReadPosition): Promise<unknown> {
  const text = await fs.readFile(file, 'utf8');
  position.bytes = Buffer.byteLength(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : text.split('\n').length;
    throw new ImportFileError(line, { key: 'cli.comments.file.notJson', values: { problem: message.replace(/ in JSON at position \d+.*$/, '') } });
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
