import type { ReadPosition, Source, SourceItem } from '../model.ts';
import { readCommento } from './commento.ts';
import { readDisqus } from './disqus.ts';
import { readParley } from './parley.ts';
import { readRemark42 } from './remark42.ts';
import { readWordpress } from './wordpress.ts';

/** The items of a file, in its order; `position.bytes` follows how much of it has been read. */
export function readSource(source: Source, file: string, position: ReadPosition = { bytes: 0 }): AsyncGenerator<SourceItem> {
  switch (source) {
    case 'disqus':
      return readDisqus(file, position);
    case 'wordpress':
      return readWordpress(file, position);
    case 'commento':
      return readCommento(file, position);
    case 'remark42':
      return readRemark42(file, position);
    case 'parley':
      return readParley(file, position);
  }
}
