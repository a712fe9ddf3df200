// What the spam classifier looks at in a comment. Two kinds of feature:
//
// - Cues ("cue:…"): what spam does wherever it is posted, whatever it sells. It leaves a way to reach
//   the spammer (a link, a bare or spelt-out domain, an e-mail address, a phone number), asks for
//   something (subscribe, check out, click, follow, buy), talks about itself (my channel, my video,
//   my shop), offers money, or shouts. Each cue counts once, whatever the length of the comment.
// - Words ("w:…"): the comment's own words, folded, with links, addresses and numbers taken out so
//   that no domain name, video id or telephone number is ever learnt as such. Words are what carry
//   the topic of the page the comments were collected under, so they are weighed together and scaled
//   down (see `FeatureOptions.wordWeight`): a few hundred comments about two music videos must not
//   teach the model that a word about something else is suspicious.
//
// Some cues are as common in readers' comments as in spam ("please", "everyone", "check this out",
// "!!!"): they count only combined with a link or with self-promotion. A link alone is not spam either:
// readers cite sources and answer each other (`@name`); see `maxWeights` in training.ts, and the
// ordinary news comments with links that test/moderation/spam.test.ts keeps below the threshold.

export interface FeatureOptions {
  /** The total weight of the word features of a comment (their vector is scaled to this length). */
  wordWeight: number;
}

/** Folds compatibility forms ("ｆｒｅｅ" → "free"), case and white space, so look-alike spellings count as one. */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

// A link as readers and spammers write it: with a scheme, from "www.", or a bare host with a path or a
// common top-level domain ("bit.ly/x", "shop.com"). The top-level domains are those spam uses most;
// a sentence such as "end.The" is not a host because "the" is not among them.
const TLD = 'com|net|org|info|biz|co|io|me|tv|ly|us|uk|de|ru|in|br|fr|es|it|pl|nl|gl|gd|gg|cc|ws|xyz|online|site|club|shop|store|app|link|live|top';
const SCHEME_OR_WWW = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;
const BARE_HOST = new RegExp(`\\b[a-z0-9][a-z0-9-]{0,62}(?:\\.[a-z0-9-]{1,63}){0,4}\\.(?:${TLD})\\b(?:/[^\\s<>"]*)?`, 'giu');
// A host written apart so that no link filter sees it: "site . com", "site dot com", "site(dot)com".
// Only top-level domains that are not also words, so that "my opinion. It" is not a host.
const SPELT_TLD = 'com|net|org|info|biz|tv|ly|ru|xyz|online';
const SPELT_HOST = new RegExp(`\\b[a-z0-9-]{2,63}\\s{0,2}(?:\\s\\.\\s|\\.\\s|\\s\\.|[\\[(]\\s{0,2}dot\\s{0,2}[\\])]|\\sdot\\s)\\s{0,2}(?:${SPELT_TLD})\\b`, 'giu');
// A video or channel path without its host, pasted from the address bar: "/watch?v=…", "/user/…".
const BARE_PATH = /(?:^|\s)\/(?:watch\?v=|user\/|channel\/|c\/)[^\s]*/giu;
const EMAIL = /\b[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}.-]{1,253}\.[\p{L}]{2,24}\b/giu;
const MENTION = /(?:^|[\s(])[@+][\p{L}\p{N}_][\p{L}\p{N}_.-]{0,40}/gu;
// Seven or more digits, possibly grouped by spaces, dots, dashes or brackets, possibly after a "+".
const PHONE = /(?:\+\s?)?(?:\(?\d[\d\s().-]{5,18}\d)/gu;
const MONEY = /(?:[$€£¥₹]\s?\d[\d,.]{0,15}(?:\s?[km]\b)?|\b\d[\d,.]{0,15}\s?(?:[$€£¥₹]|dollars?|usd|euros?|bucks|pounds)(?!\p{L}))/giu;
const SHORTENER = /\b(?:bit\.ly|goo\.gl|tinyurl\.com|t\.co|ow\.ly|is\.gd|hyperurl\.co|adf\.ly|buff\.ly|shorte\.st|tiny\.cc|cutt\.ly)\//iu;
const TRACKING = /[?&#](?:ref|aff|affiliate|referral|friend|invite|utm_[a-z]+|promo|code)=/iu;
const VIDEO_LINK = /\b(?:youtu\.be\/|youtube\.com\/watch)/iu;

/** Calls and offers, one cue each. Matched on the folded text with links and addresses taken out. */
const PHRASE_CUES: Array<[string, RegExp]> = [
  // The imperative only: readers write about "subscribers" and "subscribing" too.
  ['subscribe', /(?<!\b(?:i|me|we|they)\s)\b(?:sub|subs|sub\s?(?:4|for|2)\s?sub|subscribe|subcribe|suscribe|subscibe|sucscribe|subscrib|subscriber?)\b/u],
  ['check-out', /\bche(?:ck|k|c)\s*(?:it\s+out|this\s+out|(?:'?em|them)\s+out|out\s+(?:this|these))\b/u],
  // Asking for attention to oneself: "check me out", "watch my", "sub me", "follow me".
  ['ask-for-me', /\b(?:che(?:ck|k|c)\w*|watch|listen\s+to|visit|sub|subscribe\s+to|follow|add|look\s+at|support)\s+(?:out\s+)?(?:me|my|our|us)\b/u],
  // Introducing oneself as a creator: "I'm a rapper", "I'm a new youtuber", "we did a cover".
  [
    'creator',
    /\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:a|an)\s+(?:\w+\s+){0,2}(?:rapper|singer|youtuber|artist|producer|musician|dj|band|songwriter|vlogger|streamer|gamer|designer|photographer)\b|\b(?:i|we)\s+(?:just\s+)?(?:did|made|recorded|wrote|uploaded|posted)\s+(?:a|an|some|my|our)\s+(?:\w+\s+)?(?:cover|covers|song|songs|video|remix|parody|track|beat|mixtape)\b/u,
  ],
  ['audience-goal', /\b(?:get|reach|hit|gain|have)\s+(?:to\s+)?\d[\d,.]{0,12}k?\s+(?:subs|subscribers|followers|likes|views)\b/u],
  ['visit-click', /\b(?:visit|click|tap|head\s+(?:over\s+)?to|go\s+to\s+(?:my|our)|come\s+(?:and\s+)?(?:see|watch|check|visit)|watch\s+(?:my|this|our)|listen\s+to\s+(?:my|this|our)|look\s+(?:me|us|it)\s+up|look\s+up|search\s+(?:for\s+)?(?:my|our|me|us)?|sign\s+up|register|download|install|join\s+(?:me|us|my|our|now))\b/u],
  ['vote-donate', /\b(?:vote|voting|donate|donation|petition|sign\s+(?:this|the|my|our)|support\s+(?:me|us|my|our|this))\b/u],
  ['please', /\b(?:please|pls|plz|plse|plez|pleas|plea+se)\b/u],
  ['follow-like', /\b(?:follow\s+(?:me|us|my)|add\s+me|like\s+(?:this|my|our)\s+(?:comment|video|page|post|photo|pic|picture|poster)|thumbs\s+up|vote\s+(?:for\s+)?(?:me|my)|share\s+(?:this|my|it))\b/u],
  [
    'self-promo',
    /\b(?:my|our)\s+(?:new\s+|first\s+|latest\s+|own\s+|little\s+|youtube\s+|music\s+)?(?:channel|video|vids?|videos|page|website|site|blog|stream|band|song|songs|music|album|mixtape|cover|covers|remix|track|tracks|playlist|rap|raps|beats|art|artwork|poem|poems|story|stories|account|insta\w*|facebook|twitter|shop|store|app|game|book|business|company|product|products|services|customers|clients|vlog|podcast|content|profile)\b/u,
  ],
  ['commerce', /\b(?:buy|order|sale|sell\w*|discount\w*|cheap\w*|price\w*|offer\w*|deal|deals|coupon\w*|promo\w*|shop\w*|store|shipping|purchase\w*)\b/u],
  ['money-offer', /\b(?:earn\w*|money|cash|income|paid|profit\w*|rich|free|win|winner|giveaway|prize\w*|gift\s*cards?|bonus|invest(?:ing|ment|ments|or|ors)|bitcoin|crypto\w*|loan\w*|per\s+(?:day|week|hour|month)|a\s+day|from\s+home)\b/u],
  ['contact', /\b(?:whats\s?app|telegram|viber|kik|snap\s?chat|dm\s+me|message\s+me|text\s+me|call\s+me|e-?mail\s+me|contact\s+(?:me|us)|inbox\s+me|pm\s+me)\b/u],
  ['address-crowd', /\b(?:guys|everyone|everybody|viewers|y'?all)\b/u],
  ['help-me', /\b(?:help\s+me|support\s+(?:me|us|my)|need\s+your\s+help|give\s+(?:me|it)\s+a\s+(?:chance|try))\b/u],
];

/**
 * Cues that readers use as often as spammers do ("please", "everyone", "check this out", "!!!"): they
 * count only together with a link or with the writer promoting themselves, never alone.
 */
const AMBIGUOUS = new Set(['check-out', 'visit-click', 'vote-donate', 'please', 'address-crowd', 'help-me', 'punctuation-run', 'stretched-word', 'dot-runs']);

/** Cues of the writer promoting themselves, which combine with the ambiguous ones. */
const PROMOTION = ['self-promo', 'subscribe', 'follow-like', 'ask-for-me', 'audience-goal', 'creator'];

/** Takes links and e-mail addresses out of the text, noting what kind they were; returns how many and the rest. */
function takeLinks(text: string, add: (cue: string) => void): { links: number; rest: string } {
  let rest = text;
  let links = 0;
  const take = (pattern: RegExp, kind?: string) => {
    rest = rest.replace(pattern, (link) => {
      // A video shared in a conversation about what it shows is the commonest link readers post.
      if (VIDEO_LINK.test(link)) return add('cue:link-video'), ' ';
      links++;
      if (kind) add(kind);
      if (SHORTENER.test(link)) add('cue:link-shortener');
      if (TRACKING.test(link)) add('cue:link-tracking');
      return ' ';
    });
  };
  rest = rest.replace(EMAIL, () => (add('cue:email'), ' '));
  take(SCHEME_OR_WWW);
  take(BARE_HOST);
  take(SPELT_HOST, 'cue:link-spelt');
  take(BARE_PATH, 'cue:link-path');
  return { links, rest };
}

/** The letters of a text, split into upper and lower case, to tell shouting from a capitalised name. */
function caseShares(text: string): { letters: number; upper: number } {
  let letters = 0;
  let upper = 0;
  for (const c of text) {
    const lower = c.toLowerCase();
    const up = c.toUpperCase();
    if (lower === up) continue;
    letters++;
    if (c === up) upper++;
  }
  return { letters, upper };
}

const WORD = /\p{L}[\p{L}\p{M}'’]*/gu;
/**
 * Every pattern here is bounded (no unbounded repeat before a character it needs next), so reading a
 * text costs time in proportion to its length, not its square; and no more than this much is read.
 */
const MAX_READ = 5_000;

/** "plzzz", "sooo", "loooove" read as "plz", "so", "love": the stretch is a cue of its own. */
const STRETCH = /(\p{L})\1{2,}/gu;

/**
 * The features of one text with their values: 1 for each cue present, and the words' share of
 * `wordWeight`, each distinct word once.
 */
export function featureVector(whole: string, options: FeatureOptions): Map<string, number> {
  // What a comment is selling shows early; a bound on the text read bounds the time any text costs.
  const text = whole.length > MAX_READ ? whole.slice(0, MAX_READ) : whole;
  const vector = new Map<string, number>();
  const add = (cue: string) => vector.set(cue, 1);

  const { letters, upper } = caseShares(text);
  if (letters >= 12 && upper / letters > 0.6) add('cue:shouting');

  const taken = takeLinks(foldText(text), add);
  let rest = taken.rest;
  rest = rest.replace(MENTION, () => (add('cue:mention'), ' '));
  rest = rest.replace(MONEY, () => (add('cue:money'), ' '));
  rest = rest.replace(PHONE, (run) => {
    if ((run.match(/\d/g) ?? []).length >= 7) add('cue:phone');
    return ' ';
  });
  const found = new Set(PHRASE_CUES.filter(([, pattern]) => pattern.test(rest)).map(([cue]) => cue));
  if (/([!?])\1{2,}/u.test(text)) found.add('punctuation-run');
  if (/(\p{L})\1{3,}/u.test(rest)) found.add('stretched-word');
  if (/(?:^|\s)[.…]{3,}|[.]{4,}/u.test(rest)) found.add('dot-runs');
  for (const cue of found) if (!AMBIGUOUS.has(cue)) add(`cue:${cue}`);

  const words = rest.replace(STRETCH, '$1').match(WORD) ?? [];
  // A link is what a reader's source and a spammer's shop have in common: alone it counts for little
  // (its weight is capped, see TrainingOptions.maxWeights); a link with next to nothing around it, or
  // with a call, an appeal, an offer or the writer's own channel, counts as a cue of its own.
  const pitched = (cues: string[]) => cues.some((c) => found.has(c));
  const calls = pitched(['check-out', 'visit-click', 'vote-donate']);
  const appeals = pitched(['please', 'address-crowd', 'help-me']);
  const noise = pitched(['punctuation-run', 'stretched-word', 'dot-runs']) || vector.has('cue:shouting');
  const offers = pitched(['commerce', 'money-offer']) || vector.has('cue:money');
  const promotions = PROMOTION.filter((c) => found.has(c)).length;
  const promotes = promotions > 0;
  if (taken.links > 0) {
    add('cue:link');
    if (words.length <= 4) add('cue:link-bare');
    if (calls) add('cue:link+call');
    if (appeals) add('cue:link+appeal');
    if (noise) add('cue:link+noise');
    if (offers) add('cue:link+offer');
    if (promotes) add('cue:link+promotion');
  }
  if (promotions > 1) add('cue:promotion-several');
  if (promotes) {
    if (calls) add('cue:promotion+call');
    if (appeals) add('cue:promotion+appeal');
    if (noise) add('cue:promotion+noise');
  }
  if (appeals && calls) add('cue:appeal+call');

  const tokens = new Set(words.map((w) => w.replace(/['’]/g, '')));
  if (tokens.size > 0 && options.wordWeight > 0) {
    const value = options.wordWeight / Math.sqrt(tokens.size);
    for (const token of [...tokens].sort()) vector.set(`w:${token}`, value);
  }
  return vector;
}
