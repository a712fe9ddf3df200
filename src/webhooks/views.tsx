import { CsrfField, Notice } from '../accounts/form-fields.tsx';
import { AdminPage } from '../admin/views.tsx';
import type { Site } from '../sites/model.ts';
import type { PageChrome } from '../ui/chrome.ts';
import type { MessageKey } from '../i18n/translator.ts';
import { useI18n } from '../i18n/view.ts';
import { WEBHOOK_EVENT_NAMES } from './events.ts';
import type { WebhookDelivery, WebhookEndpoint } from './store.ts';
import { InputField, ProblemSummary } from '../ui/form.tsx';
import { TableHead } from '../ui/table.tsx';

// The webhooks pages: every endpoint with the "New endpoint" form, and one endpoint's settings,
// its test button and its delivery log. Plain forms; a refused form comes back with what was typed
// and each problem next to its field. A secret appears once, on the answer that made it.

export interface EndpointFormState {
  values: { site?: string; url?: string; description?: string; events?: string[]; enabled?: boolean };
  errors: Partial<Record<'site' | 'url' | 'description' | 'events', string>>;
  general?: string | null;
}

const when = (iso: string) => iso.slice(0, 19).replace('T', ' ');

function Problems({ state, id }: { state: EndpointFormState; id: string }) {
  return <ProblemSummary general={state.general ? [state.general] : []} fieldCount={Object.keys(state.errors).length} id={id} />;
}

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="field__error" id={id}>
      {error}
    </p>
  ) : null;
}

/** URL, description and events: the same fields on the new and the edit form. */
function EndpointFields({ form, state }: { form: string; state: EndpointFormState }) {
  const { values, errors } = state;
  const chosen = new Set(values.events ?? []);
  const fieldClass = (name: keyof EndpointFormState['errors']) => (errors[name] ? 'field field--invalid' : 'field');
  const { t } = useI18n();
  return (
    <>
      <InputField
        id={`${form}-url`}
        name="url"
        label={t('webhooks.url')}
        type="url"
        required
        maxLength={2000}
        value={values.url ?? ''}
        autocomplete="off"
        error={errors.url}
        hint={t('webhooks.urlHint')}
      />
      <InputField id={`${form}-description`} name="description" label={t('webhooks.description')} maxLength={300} value={values.description ?? ''} autocomplete="off" error={errors.description} />
      <fieldset class={fieldClass('events')} aria-describedby={errors.events ? `${form}-events-error` : undefined}>
        <legend>{t('webhooks.events')}</legend>
        <FieldError id={`${form}-events-error`} error={errors.events} />
        {/* i18n-keys: webhooks.event.* */}
        {WEBHOOK_EVENT_NAMES.map((name) => (
          <label class="mod-item__check">
            <input type="checkbox" name={`event:${name}`} value="1" checked={chosen.has(name)} /> <code>{name}</code> — {t(`webhooks.event.${name}` as MessageKey)}
          </label>
        ))}
      </fieldset>
    </>
  );
}

function SecretOnce({ secret }: { secret: string }) {
  const { t } = useI18n();
  return (
    <Notice>
      <p>{t('webhooks.secretOnce')}</p>
      <p>
        <label for="webhook-secret">{t('webhooks.newSecret')}</label>
        <input id="webhook-secret" readOnly value={secret} size={60} />
      </p>
    </Notice>
  );
}

export function WebhooksPage({ chrome, endpoints, sites, form, notice }: { chrome: PageChrome; endpoints: WebhookEndpoint[]; sites: Site[]; form: EndpointFormState; notice?: string | null }) {
  const { t } = useI18n();
  return (
    <AdminPage chrome={chrome} title={t('webhooks.title')} current="webhooks">
      {notice ? <Notice>{notice}</Notice> : null}
      <p>{t('webhooks.lead')}</p>
      {endpoints.length === 0 ? (
        <p>{t('webhooks.none')}</p>
      ) : (
        <table class="audit">
          <caption>{t('webhooks.caption')}</caption>
          <TableHead columns={[t('webhooks.col.address'), t('webhooks.col.site'), t('webhooks.col.events'), t('webhooks.col.state')]} />
          <tbody>
            {endpoints.map((e) => (
              <tr>
                <td>
                  <a href={`/admin/webhooks/${e.id}`}>{e.url}</a>
                  {e.description ? <div>{e.description}</div> : null}
                </td>
                <td>
                  <code>{e.siteKey}</code>
                </td>
                <td>{e.events.join(', ')}</td>
                <td>{t('webhooks.state', { enabled: e.enabled ? 'yes' : 'no' })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="new-webhook">{t('webhooks.new')}</h2>
      <form method="post" action="/admin/webhooks" class="account-form" aria-labelledby="new-webhook">
        <CsrfField chrome={chrome} />
        <Problems state={form} id="new-webhook-problems" />
        <div class={form.errors.site ? 'field field--invalid' : 'field'}>
          <label for="new-site">{t('webhooks.site')}</label>
          <FieldError id="new-site-error" error={form.errors.site} />
          <select id="new-site" name="site" aria-describedby={form.errors.site ? 'new-site-error' : undefined}>
            {sites.map((s) => (
              <option value={s.key} selected={(form.values.site ?? 'default') === s.key}>
                {s.name} ({s.key})
              </option>
            ))}
          </select>
        </div>
        <EndpointFields form="new" state={form} />
        <div>
          <button type="submit">{t('webhooks.add')}</button>
        </div>
      </form>
    </AdminPage>
  );
}


export function WebhookPage({
  chrome,
  endpoint,
  deliveries,
  form,
  notice,
  secret,
}: {
  chrome: PageChrome;
  endpoint: WebhookEndpoint;
  deliveries: WebhookDelivery[];
  form: EndpointFormState;
  notice?: string | null;
  secret?: string | null;
}) {
  const base = `/admin/webhooks/${endpoint.id}`;
  const { t, rich } = useI18n();
  return (
    <AdminPage chrome={chrome} title={t('webhooks.endpointTitle', { url: endpoint.url })} current="webhooks">
      <p>
        <a href="/admin/webhooks">{t('webhooks.all')}</a> · {rich('webhooks.siteKey', { key: <code>{endpoint.siteKey}</code> })} · {t('webhooks.stateLower', { enabled: endpoint.enabled ? 'yes' : 'no' })}
      </p>
      {notice ? <Notice>{notice}</Notice> : null}
      {secret ? <SecretOnce secret={secret} /> : null}
      <form method="post" action={`${base}/test`} class="admin-form">
        <CsrfField chrome={chrome} />
        <button type="submit">{t('webhooks.test')}</button>
      </form>
      <h2 id="delivery-log">{t('webhooks.log')}</h2>
      {deliveries.length === 0 ? (
        <p>{t('webhooks.logEmpty')}</p>
      ) : (
        <table class="audit" aria-labelledby="delivery-log">
          <TableHead columns={[t('webhooks.log.when'), t('webhooks.log.event'), t('webhooks.log.messageId'), t('webhooks.log.attempt'), t('webhooks.log.result'), t('webhooks.log.answer'), t('webhooks.log.time')]} />
          <tbody>
            {deliveries.map((d) => (
              <tr>
                <td>{when(d.createdAt)}</td>
                <td>
                  <code>{d.eventType}</code>
                </td>
                <td>
                  <code>{d.messageId}</code>
                </td>
                <td>{d.attempt}</td>
                <td>
                  {d.error ? t('webhooks.outcomeError', { outcome: t('webhooks.outcome', { outcome: d.outcome }), error: d.error }) : t('webhooks.outcome', { outcome: d.outcome })}
                </td>
                <td>{d.responseStatus ?? t('webhooks.log.none')}</td>
                <td>{t('webhooks.log.duration', { ms: d.durationMs })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="edit-webhook">{t('webhooks.settings')}</h2>
      <form method="post" action={base} class="account-form" aria-labelledby="edit-webhook">
        <CsrfField chrome={chrome} />
        <Problems state={form} id="edit-webhook-problems" />
        <EndpointFields form="edit" state={form} />
        <label class="mod-item__check">
          <input type="checkbox" name="enabled" value="1" checked={form.values.enabled ?? endpoint.enabled} /> {t('webhooks.active')}
        </label>
        <div>
          <button type="submit">{t('webhooks.save')}</button>
        </div>
      </form>
      <h2 id="webhook-secret-heading">{t('webhooks.secret')}</h2>
      <form method="post" action={`${base}/secret`} class="admin-form" aria-labelledby="webhook-secret-heading">
        <CsrfField chrome={chrome} />
        <p>{t('webhooks.secretLead')}</p>
        <button type="submit">{t('webhooks.replaceSecret')}</button>
      </form>
      <h2 id="webhook-delete-heading">{t('webhooks.remove')}</h2>
      <form method="post" action={`${base}/delete`} class="admin-form" aria-labelledby="webhook-delete-heading">
        <CsrfField chrome={chrome} />
        <button type="submit">{t('webhooks.removeEndpoint')}</button>
      </form>
    </AdminPage>
  );
}
