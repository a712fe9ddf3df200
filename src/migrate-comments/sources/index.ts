import type { Source, SourceItem } from '../model.ts';
import { readCommento } from './commento.ts';
import { readDisqus } from './disqus.ts';
import { readParley } from './parley.ts';
import { readRemark42 } from './remark42.ts';
import { readWordpress } from './wordpress.ts';

export function readSource(source: Source, file: string): AsyncGenerator<SourceItem> {
  switch (source) {
    case 'disqus':
      return readDisqus(file);
    case 'wordpress':
      return readWordpress(file);
    case 'commento':
      return readCommento(file);
    case 'remark42':
      return readRemark42(file);
    case 'parley':
      return readParley(file);
  }
}
