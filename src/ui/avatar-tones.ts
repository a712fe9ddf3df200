// The colours of generated avatars (accounts/avatar.tsx draws the picture, comments/avatar.tsx the
// small one in threads): a fixed set, so that the thread's avatar can be a CSS class (`avatar--t0` …
// in parley.css; the Content-Security-Policy allows no inline styles) of the same colour as the
// picture. Each carries white initials at 4.5:1 or more (comments/avatar.test.tsx checks both).
export const AVATAR_TONES = ['#8e2c48', '#a23b1a', '#7a4f00', '#4f6300', '#1f6b2e', '#00695c', '#0b5e7a', '#1f4e99', '#4b3fa6', '#6d2f9c', '#8a2680', '#5c5c5c'] as const;
