import type { Translator } from '../i18n/index.ts';
import { renderFragment } from '../ui/render.ts';
import { cutTemplate, escapeHtml, fillTemplate, hole, type PageTemplate } from '../ui/page-template.ts';
import type { Actor } from './model.ts';
import { AccountNav } from './nav.tsx';

// The header's account area of a signed-in reader, as the article page sends it on every request:
// AccountNav rendered once per language and kind of account with holes for the reader's own values,
// then filled. Rendering it anew took a tenth of a signed-in article page's server time.

const templates = new Map<string, PageTemplate>();

interface NavProps {
  actor: Actor;
  csrf: () => string;
  path: string;
  unread: number | null;
  held: number | null;
}

/** What shapes the area besides the reader's values: the newsroom links (by role), the held count shown or not. */
const kindOf = ({ actor, held }: NavProps) => `${actor.role}:${actor.emailVerified}:${held !== null}`;

export function accountNavHtml(i18n: Translator, props: NavProps): Buffer {
  const key = `${i18n.locale}:${kindOf(props)}`;
  let template = templates.get(key);
  if (!template) {
    const actor: Actor = { ...props.actor, handle: hole('handle'), displayName: hole('name') };
    const unread = hole('unread') as unknown as number;
    const held = props.held === null ? null : (hole('held') as unknown as number);
    template = cutTemplate(renderFragment(<AccountNav actor={actor} csrf={() => hole('csrf')} path={hole('path')} unread={unread} held={held} />, i18n));
    templates.set(key, template);
  }
  return fillTemplate(template, {
    // The handle appears only in the avatar's address (avatarPath), encoded as there.
    handle: escapeHtml(encodeURIComponent(props.actor.handle)),
    name: escapeHtml(props.actor.displayName),
    csrf: escapeHtml(props.csrf()),
    path: escapeHtml(props.path),
    unread: String(props.unread ?? 0),
    held: String(props.held ?? 0),
  });
}
