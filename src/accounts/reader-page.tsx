import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { avatarPath } from './presenter.ts';
import type { Account } from './store.ts';

// A reader's public page. The follow feature adds its button and counts here later; it shows only
// what any visitor may see (never an e-mail address).

const joined = (iso: string) => new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));

export function ReaderPage({ chrome, reader }: { chrome: PageChrome; reader: Account }) {
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${reader.displayName} — ${chrome.site.name}`}>
      <article class="reader-profile" aria-labelledby="reader-name">
        <img class="avatar avatar--large" src={avatarPath(reader.handle)} alt="" width={96} height={96} />
        <div>
          <h1 id="reader-name">{reader.displayName}</h1>
          <p class="reader-profile__meta">
            @{reader.handle} · Joined <time dateTime={reader.createdAt}>{joined(reader.createdAt)}</time>
          </p>
          {reader.bio ? <p class="reader-profile__bio">{reader.bio}</p> : null}
          {chrome.actor?.handle === reader.handle ? (
            <p>
              <a href="/account">Edit your profile</a>
            </p>
          ) : null}
        </div>
      </article>
    </Layout>
  );
}
