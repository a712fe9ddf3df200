import { CsrfField, Notice } from '../accounts/form-fields.tsx';
import type { Site } from '../sites/model.ts';
import { THEME_FIELDS, type ThemeField } from '../sites/model.ts';
import { embedSnippets } from '../sites/admin-presenter.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { InputField, ProblemSummary } from '../ui/form.tsx';
import { AdminPage } from './views.tsx';
import { TableHead } from '../ui/table.tsx';

// The sites pages: the list with the "New site" form, and one site's settings (name, origins, look,
// single sign-on, the snippets to paste). Plain forms; a refused form comes back with what was typed
// and each problem next to its field.

/** The form's fields as typed (or as stored, for a fresh page), and the problem of each. */
export interface SiteFormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  /** A problem that belongs to no single field (a key already taken). */
  general?: string | null;
}

interface FieldProps {
  form: string;
  name: string;
  label: string;
  state: SiteFormState;
  hint?: string;
  required?: boolean;
  multiline?: boolean;
  type?: 'text' | 'url' | 'password';
  maxLength?: number;
  placeholder?: string;
}

/** A labelled field with its hint and error tied to it (src/ui/form.tsx, as every form). */
function Field({ form, name, label, state, hint, required = false, multiline = false, type = 'text', maxLength, placeholder }: FieldProps) {
  const value = type === 'password' ? '' : (state.values[name] ?? '');
  const autocomplete = multiline ? undefined : type === 'password' ? 'new-password' : 'off';
  return <InputField id={`${form}-${name}`} name={name} label={label} value={value} error={state.errors[name]} hint={hint} type={type} multiline={multiline} required={required} maxLength={maxLength} placeholder={placeholder} autocomplete={autocomplete} />;
}

function Problems({ state, id }: { state: SiteFormState; id: string }) {
  return <ProblemSummary general={state.general ? [state.general] : []} fieldCount={Object.keys(state.errors).length} id={id} />;
}

export const EMPTY_FORM: SiteFormState = { values: {}, errors: {} };

export function SitesPage({ chrome, sites, counts, form = EMPTY_FORM }: { chrome: PageChrome; sites: Site[]; counts: Map<number, number>; form?: SiteFormState }) {
  return (
    <AdminPage chrome={chrome} title="Sites">
      <p>Each site is a publication whose pages embed Parley’s conversations. Articles belong to a site; the front page and the feed show the default site’s.</p>
      <table class="audit">
        <caption>Sites</caption>
        <TableHead columns={['Name', 'Key', 'Allowed origins', 'Articles']} />
        <tbody>
          {sites.map((site) => (
            <tr>
              <td>
                <a href={`/admin/sites/${site.key}`}>{site.name}</a>
              </td>
              <td>
                <code>{site.key}</code>
              </td>
              <td>{site.origins.length ? site.origins.join(', ') : 'none'}</td>
              <td>{counts.get(site.id) ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="new-site">New site</h2>
      <form method="post" action="/admin/sites" class="account-form" aria-labelledby="new-site">
        <CsrfField chrome={chrome} />
        <Problems state={form} id="new-site-problems" />
        <Field form="new" name="name" label="Name" state={form} required maxLength={120} />
        <Field form="new" name="key" label="Key (optional)" state={form} maxLength={40} hint="The embed names the site by it (data-site). Lower-case letters, digits and dashes; made from the name when left empty. It cannot be changed later." />
        <Field form="new" name="origins" label="Allowed origins, one per line" state={form} multiline hint="The publisher’s addresses whose pages may embed the conversations, scheme and host only: https://www.example-news.com" />
        <div>
          <button type="submit">Create site</button>
        </div>
      </form>
    </AdminPage>
  );
}

/** The stored site as the edit form's values. */
export function siteFormValues(site: Site): Record<string, string> {
  return {
    name: site.name,
    origins: site.origins.join('\n'),
    ...Object.fromEntries(Object.keys(THEME_FIELDS).map((f) => [f, site.theme[f as ThemeField] ?? ''])),
    jwksUrl: site.sso.jwt?.jwksUrl ?? '',
    oidcIssuer: site.sso.oidc?.issuer ?? '',
    oidcClientId: site.sso.oidc?.clientId ?? '',
    oidcLabel: site.sso.oidc?.label ?? '',
    roleClaim: site.sso.roles?.claim ?? '',
    roleMap: Object.entries(site.sso.roles?.map ?? {})
      .map(([value, role]) => `${value} = ${role}`)
      .join('\n'),
  };
}

export function SitePage({ chrome, site, publicUrl, form, notice, newSecret }: { chrome: PageChrome; site: Site; publicUrl: string; form: SiteFormState; notice?: string | null; newSecret?: string | null }) {
  const snippets = embedSnippets(publicUrl, site.key);
  const hasSecret = Boolean(site.sso.jwt?.secret);
  const hasClientSecret = Boolean(site.sso.oidc?.clientSecret);
  return (
    <AdminPage chrome={chrome} title={`Site: ${site.name}`}>
      <p>
        <a href="/admin/sites">All sites</a> · key <code>{site.key}</code>
      </p>
      {notice ? <Notice>{notice}</Notice> : null}
      {newSecret ? (
        <div class="notice" role="status">
          <p>
            <strong>The new signing secret.</strong> Copy it now into the publisher’s server configuration: Parley will not show it again. Tokens signed with the old secret are refused from now on.
          </p>
          <label for="new-secret">New secret</label>
          <input id="new-secret" readOnly value={newSecret} size={48} />
        </div>
      ) : null}

      <h2 id="embed">Embed on the publisher’s pages</h2>
      <div class="field">
        <label for="snippet">Where comments belong</label>
        <textarea id="snippet" readOnly rows={3}>
          {snippets.snippet}
        </textarea>
      </div>
      <div class="field">
        <label for="count-snippet">On listing pages, for comment counts (fills every element with data-parley-count="ARTICLE ADDRESS")</label>
        <textarea id="count-snippet" readOnly rows={2}>
          {snippets.countSnippet}
        </textarea>
      </div>

      <h2 id="settings">Settings</h2>
      <form method="post" action={`/admin/sites/${site.key}`} class="account-form" aria-labelledby="settings">
        <CsrfField chrome={chrome} />
        <Problems state={form} id="site-problems" />
        <Field form="site" name="name" label="Name" state={form} required maxLength={120} />
        <Field form="site" name="origins" label="Allowed origins, one per line" state={form} multiline hint="Only pages under these origins may embed the conversations and create new ones: https://www.example-news.com" />
        <fieldset>
          <legend>Look</legend>
          {(Object.keys(THEME_FIELDS) as ThemeField[]).map((f) => (
            <Field form="site" name={f} label={THEME_FIELDS[f].label} state={form} maxLength={200} hint={f.startsWith('font') ? 'A font stack, e.g. Georgia, serif' : 'A CSS colour, e.g. #b3001b; empty: Parley’s own'} />
          ))}
        </fieldset>
        <fieldset>
          <legend>Single sign-on with the publisher’s accounts</legend>
          <p>Signed tokens (HS256): {hasSecret ? 'a signing secret is set.' : 'no signing secret is set.'} Use the button below the form to make a new one.</p>
          {hasSecret ? (
            <div class="field field--check">
              <input type="checkbox" id="site-removeSecret" name="removeSecret" value="1" checked={form.values.removeSecret === '1'} />
              <label for="site-removeSecret">Remove the signing secret (refuse HS256 tokens)</label>
            </div>
          ) : null}
          <Field form="site" name="jwksUrl" label="JWKS address (RS256 / ES256 tokens)" state={form} type="url" maxLength={2000} hint="Where the publisher publishes its public keys; empty: off" />
          <Field form="site" name="oidcIssuer" label="OpenID issuer" state={form} type="url" maxLength={2000} hint="Empty issuer, client id and label turn “Sign in with …” off" />
          <Field form="site" name="oidcClientId" label="OpenID client id" state={form} maxLength={500} />
          <Field form="site" name="oidcClientSecret" label="OpenID client secret" state={form} type="password" maxLength={500} hint={hasClientSecret ? 'A client secret is set; leave empty to keep it.' : 'No client secret is set (public client with PKCE).'} />
          <Field form="site" name="oidcLabel" label="Button label (the publisher’s name)" state={form} maxLength={100} />
          <Field form="site" name="roleClaim" label="Roles from the publisher: claim name" state={form} maxLength={100} hint="Off when empty. A claim of the token or ID token, e.g. roles" />
          <Field form="site" name="roleMap" label="Claim values and the Parley role each gives, one per line" state={form} multiline hint="value = staff, or value = moderator; e.g. editor = staff" />
        </fieldset>
        <div>
          <button type="submit">Save site</button>
        </div>
      </form>
      <form method="post" action={`/admin/sites/${site.key}/secret`}>
        <CsrfField chrome={chrome} />
        <button type="submit">Generate a new signing secret</button>
      </form>
    </AdminPage>
  );
}

/** On the roles form: which sites a moderator moderates. */
export function ModeratorSitesForm({ chrome, sites, limited }: { chrome: PageChrome; sites: Site[]; limited: { handle: string; sites: string[] }[] }) {
  return (
    <>
      <h2 id="moderator-sites">Moderators’ sites</h2>
      <p>A moderator limited to some sites sees and decides only their articles’ comments, and cannot ban or suspend readers (that applies everywhere). With no site chosen, a moderator moderates every site.</p>
      {limited.length ? (
        <ul>
          {limited.map((m) => (
            <li>
              @{m.handle}: {m.sites.join(', ')}
            </li>
          ))}
        </ul>
      ) : (
        <p>No moderator is limited to some sites.</p>
      )}
      <form method="post" action="/admin/moderator-sites" class="admin-form" aria-labelledby="moderator-sites">
        <CsrfField chrome={chrome} />
        <label for="ms-handle">Moderator’s handle</label>
        <input id="ms-handle" name="handle" required maxLength={60} />
        <fieldset>
          <legend>Sites (none: every site)</legend>
          {sites.map((site) => (
            <label class="mod-item__check">
              <input type="checkbox" name={`site:${site.key}`} value="1" /> {site.name} ({site.key})
            </label>
          ))}
        </fieldset>
        <button type="submit">Set the moderator’s sites</button>
      </form>
    </>
  );
}
