import bell from 'lucide-static/dist/esm/icons/bell.mjs';
import check from 'lucide-static/dist/esm/icons/check.mjs';
import flag from 'lucide-static/dist/esm/icons/flag.mjs';
import image from 'lucide-static/dist/esm/icons/image.mjs';
import scrollText from 'lucide-static/dist/esm/icons/scroll-text.mjs';
import settings from 'lucide-static/dist/esm/icons/settings.mjs';
import shieldCheck from 'lucide-static/dist/esm/icons/shield-check.mjs';
import stickyNote from 'lucide-static/dist/esm/icons/sticky-note.mjs';
import upload from 'lucide-static/dist/esm/icons/upload.mjs';
import users from 'lucide-static/dist/esm/icons/users.mjs';
import x from 'lucide-static/dist/esm/icons/x.mjs';

// Icons from Lucide (lucide-static, ISC), inlined into the page: no request, no font that may lack a
// glyph, and they take the text colour. Only the icons imported here reach a page or a bundle; add
// one by importing its module and naming it below.

/** The drawing inside each icon's <svg>, without the wrapper (which Icon writes itself). */
const inner = (svg: string) => svg.slice(svg.indexOf('>') + 1, svg.lastIndexOf('</svg>')).replace(/\s+/g, ' ').replace(/>\s+</g, '><').trim();

const ICONS = {
  bell: inner(bell),
  check: inner(check),
  flag: inner(flag),
  image: inner(image),
  log: inner(scrollText),
  settings: inner(settings),
  moderate: inner(shieldCheck),
  note: inner(stickyNote),
  import: inner(upload),
  readers: inner(users),
  close: inner(x),
};

export type IconName = keyof typeof ICONS;

/**
 * An icon. With `label` it is an image with that name; without, it is decoration and hidden from
 * assistive technology, so a visible (or visually hidden) text label must sit next to it.
 */
export function Icon({ name, label, class: className }: { name: IconName; label?: string; class?: string }) {
  return (
    <svg
      class={className ? `icon ${className}` : 'icon'}
      width="24"
      height="24"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      focusable="false"
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': 'true' })}
      dangerouslySetInnerHTML={{ __html: ICONS[name] }}
    />
  );
}
