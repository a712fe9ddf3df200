import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Actor } from '../accounts/model.ts';
import type { SiteInfo } from './layout.tsx';

/** What every page needs from the request: the site, who is reading, and a CSRF token for its forms. */
export interface PageChrome {
  site: SiteInfo;
  actor: Actor | null;
  /** A CSRF token for the page's forms; made on first call, so anonymous pages without forms set no cookie. */
  csrf: () => string;
  /** The path of the page being shown, so sign-in can bring the reader back to it. */
  path: string;
  /** The header's account area, rendered by the accounts feature. */
  account: VNode<any> | null;
}

export type ChromeFactory = (request: FastifyRequest, reply: FastifyReply) => PageChrome;
