import { CsrfField, Notice } from '../accounts/form-fields.tsx';
import type { Site } from '../sites/model.ts';
import { THEME_FIELDS, type ThemeField } from '../sites/model.ts';
import { SUPPORTED_LOCALES } from '../i18n/locales.ts';
import { embedSnippets } from '../sites/admin-presenter.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { InputField, ProblemSummary } from '../ui/form.tsx';
import { AdminPage } from './views.tsx';
import { TableHead } from '../ui/table.tsx';
import type { MessageKey } from '../i18n/translator.ts';
import { useI18n } from '../i18n/view.ts';

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

/** A language's own name ("français"), as the language picker on the account page names it. */
export const languageName = (code: string) => new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;

/** The site's language: empty follows the service's (settings), else one Parley speaks. */
function LocaleField({ state }: { state: SiteFormState }) {
  const { t } = useI18n();
  const current = state.values.locale ?? '';
  const error = state.errors.locale;
  return (
    <div class="field">
      <label for="site-locale">{t('admin.site.locale')}</label>
      <p class="field__hint" id="site-locale-hint">
        {t('admin.site.localeHint')}
      </p>
      {error ? (
        <p class="field__error" id="site-locale-error">
          {error}
        </p>
      ) : null}
      <select id="site-locale" name="locale" aria-describedby={error ? 'site-locale-hint site-locale-error' : 'site-locale-hint'} aria-invalid={error ? 'true' : undefined}>
        <option value="">{t('admin.site.localeDefault')}</option>
        {SUPPORTED_LOCALES.map((code) => (
          <option value={code} selected={code === current} lang={code}>
            {languageName(code)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function SitesPage({ chrome, sites, counts, form = EMPTY_FORM }: { chrome: PageChrome; sites: Site[]; counts: Map<number, number>; form?: SiteFormState }) {
  const { t } = useI18n();
  return (
    <AdminPage chrome={chrome} title={t('admin.sites.title')} current="sites">
      <p>{t('admin.sites.lead')}</p>
      <table class="audit">
        <caption>{t('admin.sites.caption')}</caption>
        <TableHead columns={[t('admin.sites.name'), t('admin.sites.key'), t('admin.sites.origins'), t('admin.sites.language'), t('admin.sites.articles')]} />
        <tbody>
          {sites.map((site) => (
            <tr>
              <td>
                <a href={`/admin/sites/${site.key}`}>{site.name}</a>
              </td>
              <td>
                <code>{site.key}</code>
              </td>
              <td>{site.origins.length ? site.origins.join(', ') : t('admin.sites.none')}</td>
              <td>{site.locale ? languageName(site.locale) : '—'}</td>
              <td>{counts.get(site.id) ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="new-site">{t('admin.sites.new')}</h2>
      <form method="post" action="/admin/sites" class="account-form" aria-labelledby="new-site">
        <CsrfField chrome={chrome} />
        <Problems state={form} id="new-site-problems" />
        <Field form="new" name="name" label={t('admin.sites.name')} state={form} required maxLength={120} />
        <Field form="new" name="key" label={t('admin.sites.keyOptional')} state={form} maxLength={40} hint={t('admin.sites.keyHint')} />
        <Field form="new" name="origins" label={t('admin.sites.originsLabel')} state={form} multiline hint={t('admin.sites.originsNewHint')} />
        <div>
          <button type="submit">{t('admin.sites.create')}</button>
        </div>
      </form>
    </AdminPage>
  );
}

/** The stored site as the edit form's values. */
export function siteFormValues(site: Site): Record<string, string> {
  return {
    name: site.name,
    locale: site.locale ?? '',
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
  const { t, rich } = useI18n();
  return (
    <AdminPage chrome={chrome} title={t('admin.site.title', { name: site.name })} current="sites">
      <p>
        <a href="/admin/sites">{t('admin.site.all')}</a> · {rich('admin.site.key', { key: <code>{site.key}</code> })}
      </p>
      {notice ? <Notice>{notice}</Notice> : null}
      {newSecret ? (
        <div class="notice" role="status">
          <p>
            <strong>{t('admin.site.newSecretLead')}</strong> {t('admin.site.newSecretText')}
          </p>
          <label for="new-secret">{t('admin.site.newSecret')}</label>
          <input id="new-secret" readOnly value={newSecret} size={48} />
        </div>
      ) : null}

      <h2 id="embed">{t('admin.site.embed')}</h2>
      <div class="field">
        <label for="snippet">{t('admin.site.snippet')}</label>
        <textarea id="snippet" readOnly rows={3}>
          {snippets.snippet}
        </textarea>
      </div>
      <div class="field">
        <label for="count-snippet">{t('admin.site.countSnippet')}</label>
        <textarea id="count-snippet" readOnly rows={2}>
          {snippets.countSnippet}
        </textarea>
      </div>

      <h2 id="settings">{t('admin.site.settings')}</h2>
      <form method="post" action={`/admin/sites/${site.key}`} class="account-form" aria-labelledby="settings">
        <CsrfField chrome={chrome} />
        <Problems state={form} id="site-problems" />
        <Field form="site" name="name" label={t('admin.sites.name')} state={form} required maxLength={120} />
        <Field form="site" name="origins" label={t('admin.sites.originsLabel')} state={form} multiline hint={t('admin.site.originsHint')} />
        <LocaleField state={form} />
        <fieldset>
          <legend>{t('admin.site.look')}</legend>
          {/* i18n-keys: admin.site.theme.* */}
          {(Object.keys(THEME_FIELDS) as ThemeField[]).map((f) => (
            <Field form="site" name={f} label={t(`admin.site.theme.${f}` as MessageKey)} state={form} maxLength={200} hint={f.startsWith('font') ? t('admin.site.fontHint') : t('admin.site.colourHint')} />
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('admin.site.sso')}</legend>
          <p>{t('admin.site.secretState', { set: hasSecret ? 'yes' : 'no' })}</p>
          {hasSecret ? (
            <div class="field field--check">
              <input type="checkbox" id="site-removeSecret" name="removeSecret" value="1" checked={form.values.removeSecret === '1'} />
              <label for="site-removeSecret">{t('admin.site.removeSecret')}</label>
            </div>
          ) : null}
          <Field form="site" name="jwksUrl" label={t('admin.site.jwks')} state={form} type="url" maxLength={2000} hint={t('admin.site.jwksHint')} />
          <Field form="site" name="oidcIssuer" label={t('admin.site.oidcIssuer')} state={form} type="url" maxLength={2000} hint={t('admin.site.oidcIssuerHint')} />
          <Field form="site" name="oidcClientId" label={t('admin.site.oidcClientId')} state={form} maxLength={500} />
          <Field form="site" name="oidcClientSecret" label={t('admin.site.oidcClientSecret')} state={form} type="password" maxLength={500} hint={hasClientSecret ? t('admin.site.oidcSecretSet') : t('admin.site.oidcSecretUnset')} />
          <Field form="site" name="oidcLabel" label={t('admin.site.oidcLabel')} state={form} maxLength={100} />
          <Field form="site" name="roleClaim" label={t('admin.site.roleClaim')} state={form} maxLength={100} hint={t('admin.site.roleClaimHint')} />
          <Field form="site" name="roleMap" label={t('admin.site.roleMap')} state={form} multiline hint={t('admin.site.roleMapHint')} />
        </fieldset>
        <div>
          <button type="submit">{t('admin.site.save')}</button>
        </div>
      </form>
      <form method="post" action={`/admin/sites/${site.key}/secret`}>
        <CsrfField chrome={chrome} />
        <button type="submit">{t('admin.site.generateSecret')}</button>
      </form>
    </AdminPage>
  );
}

/** On the roles form: which sites a moderator moderates. */
export function ModeratorSitesForm({ chrome, sites, limited }: { chrome: PageChrome; sites: Site[]; limited: { handle: string; sites: string[] }[] }) {
  const { t } = useI18n();
  return (
    <>
      <h2 id="moderator-sites">{t('admin.moderatorSites.title')}</h2>
      <p>{t('admin.moderatorSites.lead')}</p>
      {limited.length ? (
        <ul>
          {limited.map((m) => (
            <li>
              @{m.handle}: {m.sites.join(', ')}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('admin.moderatorSites.none')}</p>
      )}
      <form method="post" action="/admin/moderator-sites" class="admin-form" aria-labelledby="moderator-sites">
        <CsrfField chrome={chrome} />
        <label for="ms-handle">{t('admin.moderatorSites.handle')}</label>
        <input id="ms-handle" name="handle" required maxLength={60} />
        <fieldset>
          <legend>{t('admin.moderatorSites.legend')}</legend>
          {sites.map((site) => (
            <label class="mod-item__check">
              <input type="checkbox" name={`site:${site.key}`} value="1" /> {site.name} (<code>{site.key}</code>)
            </label>
          ))}
        </fieldset>
        <button type="submit">{t('admin.moderatorSites.submit')}</button>
      </form>
    </>
  );
}
