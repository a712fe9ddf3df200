import { createHash } from 'node:crypto';
import { renderToString } from 'preact-render-to-string';
import { AVATAR_TONES } from '../ui/avatar-tones.ts';

// A generated avatar: the reader's initials on a colour derived from their handle. It is drawn
// here and served from our own origin, so no third-party image service learns who reads what.

/** Up to two initials: the first letters of the first and last words, or the first character. */
export function initials(displayName: string): string {
  const words = displayName.trim().split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  const first = (word: string) => [...word.replace(/^[^\p{L}\p{N}]+/u, '')][0] ?? '';
  if (words.length === 0) return [...displayName.trim()][0] ?? '?';
  const letters = words.length === 1 ? first(words[0]!) : first(words[0]!) + first(words[words.length - 1]!);
  return letters.toLocaleUpperCase();
}

/** Which of the avatar colours is the reader's, from the handle (the same everywhere, every time). */
export function avatarTone(handle: string): number {
  return createHash('sha256').update(handle).digest().readUInt16BE(0) % AVATAR_TONES.length;
}

/** The reader's colour: one of a fixed set on which white text keeps a 4.5:1 contrast (ui/avatar-tones.ts). */
export function avatarColour(handle: string): string {
  return AVATAR_TONES[avatarTone(handle)]!;
}

export function AvatarSvg({ handle, displayName, size = 96 }: { handle: string; displayName: string; size?: number }) {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" width={size} height={size} viewBox="0 0 96 96" role="img" aria-label={displayName}>
      <rect width="96" height="96" rx="48" fill={avatarColour(handle)} />
      <text
        x="48"
        y="50"
        text-anchor="middle"
        dominant-baseline="central"
        fill="#ffffff"
        font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
        font-size="40"
        font-weight="600"
      >
        {initials(displayName)}
      </text>
    </svg>
  );
}

export const renderAvatar = (handle: string, displayName: string) => renderToString(<AvatarSvg handle={handle} displayName={displayName} />);
