// Site furniture in text copied off a news page: comment prompts, sign-in notices, share toolbars,
// newsletter pitches. Recognised by what it is — short calls to action about the site itself, lines
// made only of share/social vocabulary, account notices — not by any one site's wording.
import { endsSentence, wordCount } from './text-lines.ts';

const MAX_CHROME_WORDS = 25;

const CHROME_LABELS = new Set([
  'comments', 'comment', 'show comments', 'hide comments', 'view comments', 'leave a comment',
  'advertisement', 'advert', 'ad', 'sponsored', 'sponsored content', 'promoted', 'partner content',
  'sign in', 'sign up', 'log in', 'login', 'log out', 'logout', 'register', 'my account',
  'subscribe', 'subscribe now', 'newsletter', 'newsletters', 'menu', 'search', 'close', 'print',
  'copy link', 'link copied', 'read more', 'more', 'related', 'related articles', 'most read',
  'most popular', 'trending', 'top stories', 'back to top', 'skip to content', 'skip to main content',
  'reuse content', 'bookmark', 'save', 'listen', 'listen to this article', 'play', 'gift article',
  'about', 'about us', 'contact', 'contact us', 'home', 'archive', 'archives', 'tags', 'categories', 'faq', 'help',
  'privacy policy', 'terms of use', 'terms of service', 'cookie policy', 'cookie settings', 'sitemap',
]);

// A line made only of these words is a share/follow toolbar ("Share on Facebook", "Follow us on X").
const TOOLBAR_VOCABULARY = new Set([
  'share', 'shares', 'sharing', 'tweet', 'email', 'e-mail', 'print', 'copy', 'link', 'follow', 'click',
  'tap', 'here', 'icon', 'button', 'comments', 'comment', 'save', 'bookmark',
  'facebook', 'twitter', 'x', 'whatsapp', 'linkedin', 'reddit', 'pinterest', 'messenger', 'bluesky',
  'threads', 'telegram', 'instagram', 'youtube', 'tiktok', 'flipboard',
  'this', 'the', 'article', 'story', 'page', 'video', 'on', 'via', 'to', 'with', 'us', 'and', 'or', 'by',
]);
const TOOLBAR_ACTIONS = /\b(?:share|tweet|follow|email|e-mail|copy|print|bookmark|save)\b/i;

const NAVIGATION_PREFIX =
  /^(?:read more|more about|more on this(?: story)?|related|see also|also read|read next|recommended|most read|watch|listen|explore)\s*[:|–—-]/i;
const NAVIGATION_LEAD = /^(?:read more|more about|more on)\b/i;

// Statements about the reader's account, the page or the publisher rather than the news.
const SITE_NOTICES = [
  /\bthank(?:s| you) for (?:registering|signing up|subscribing|reading|your (?:support|subscription|registration))\b/i,
  /\bto be (?:automatically )?(?:logged|signed) in\b/i,
  /\byou(?:'re|’re| are| have been)(?: now)? (?:logged|signed) (?:in|out)\b/i,
  /\b(?:already (?:have an account|registered|a (?:subscriber|member))|don['’]t have an account)\b/i,
  /^comments? (?:are|is|have been)(?: now)? (?:closed|open|disabled|switched off)\b/i,
  /^(?:this )?(?:story|article) continues (?:below|after)\b/i,
  /^(?:open|view|enlarge|expand) (?:image|photo|picture|gallery|video)\b/i,
  /^(?:©|\(c\)|copyright\b)/i,
];

const CALL_TO_ACTION =
  /^(?:please |click (?:here )?to |tap (?:here )?to |why not |don['’]t forget to )?(?:sign up|sign in|sign-in|log ?in|register|subscribe|join|follow|share|refresh|reload|support|donate|download|get|enable|disable|turn off|allow|whitelist|unlock|create|upgrade|become|verify|confirm|continue reading|keep up|stay)\b/i;

// What calls to action are about: the site and the reader's relationship with it, not the news.
const SITE_CONTEXT =
  /\b(?:newsletters?|briefings?|bulletins?|digest|e-?mails?|inbox|alerts|notifications|comment(?:s|ing|ers?)?|forums?|conversations?|discussions?|community|accounts?|profile|browser|page|site|website|app|subscriptions?|subscribers?|premium|members(?:hip)?|journalism|reporting|readers?|ad-?free|ad ?blockers?|cookies|us|facebook|twitter|instagram|whatsapp|linkedin|youtube|tiktok|telegram|bluesky|podcasts?|updates)\b/i;

/**
 * Whether the line is site furniture. A `piece` of a line split where words ran together is judged
 * more strictly: a split can also fall inside a word ("JavaScript", "McDonald"), leaving a piece that
 * merely starts like an imperative ("Get your Frontend Java").
 */
export function isChrome(line: string, piece = false): boolean {
  const text = line.replace(/[\s:|›»>•·–—-]+$/u, '');
  const lower = text.toLowerCase();
  if (CHROME_LABELS.has(lower)) return true;
  // "Skip to site index", "Continue reading the main story", "Go to permalink": page mechanics.
  if (/^(?:skip to|jump to|go to|continue reading|back to)\b/i.test(text) && wordCount(text) <= 6) return true;
  if (/^(?:log ?out|sign ?out|log ?in|sign ?in)\b/i.test(text) && wordCount(text) <= 4) return true;
  if (/^(?:\(?\d+\)? comments?|comments? \(?\d+\)?)$/i.test(text)) return true;
  if (NAVIGATION_PREFIX.test(text) || (NAVIGATION_LEAD.test(text) && !endsSentence(text))) return true;

  const words = lower.split(/\s+/).filter(Boolean);
  if (words.length > MAX_CHROME_WORDS) return false;
  if (words.every((word) => TOOLBAR_VOCABULARY.has(word.replace(/[^\p{L}-]/gu, ''))) && TOOLBAR_ACTIONS.test(text)) return true;
  if (SITE_NOTICES.some((notice) => notice.test(text))) return true;
  if (CALL_TO_ACTION.test(text)) {
    // Bare imperatives ("Subscribe now", "Click to follow") never stand alone as paragraphs of news.
    return (words.length <= 4 && !piece) || SITE_CONTEXT.test(text);
  }
  return false;
}

/**
 * The line without its furniture. Copying a page can glue adjacent elements together with no space
 * ("…logged inPlease refresh…"), so chrome is also looked for in the pieces between such joins.
 */
export function removeChrome(line: string): string {
  if (line === '' || isChrome(line)) return '';
  const pieces = line.split(/(?<=[\p{Ll}.!?”"’])(?=\p{Lu}\p{Ll})/u);
  if (pieces.length === 1) return line;
  // Short pieces are mostly false joins inside words ("McDonald"), never worth judging alone.
  return pieces
    .filter((piece) => wordCount(piece) < 3 || !isChrome(piece.trim(), true))
    .join('')
    .trim();
}
