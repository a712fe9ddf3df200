import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { defaultSite } from '../sites/store.ts';
import { oidcStartPath } from './oidc.ts';

// "Sign in with <publisher>" on Parley's own sign-in page, when the default site has an OpenID
// provider set up. Without one there is nothing to offer and the page is as it always was.

export interface OidcOffer {
  label: string;
  href: string;
}

/** The default site's OpenID sign-in, coming back to `next` afterwards; null when it has none. */
export async function defaultOidcOffer(db: Kysely<Database>, next: string): Promise<OidcOffer | null> {
  const site = await defaultSite(db);
  const oidc = site.sso.oidc;
  if (!oidc?.issuer || !oidc.clientId) return null;
  return { label: oidc.label || site.name, href: oidcStartPath(site.key, next === '/' ? undefined : next) };
}

/** A link styled as a button: the flow starts with a plain GET, so it works without JavaScript. */
export function OidcSignInButton({ offer }: { offer: OidcOffer | null }) {
  if (!offer) return null;
  return (
    <p class="account-form__alternative">
      <a class="button" href={offer.href}>
        Sign in with {offer.label}
      </a>
    </p>
  );
}
