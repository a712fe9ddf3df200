import { CsrfField, Notice } from '../accounts/form-fields.tsx';
import { AdminPage } from '../admin/views.tsx';
import type { Site } from '../sites/model.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { EVENT_DESCRIPTIONS, WEBHOOK_EVENT_NAMES } from './events.ts';
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
  return (
    <>
      <InputField
        id={`${form}-url`}
        name="url"
        label="Address (URL)"
        type="url"
        required
        maxLength={2000}
        value={values.url ?? ''}
        autocomplete="off"
        error={errors.url}
        hint="Where Parley POSTs each event, signed per the Standard Webhooks specification. Public addresses only."
      />
      <InputField id={`${form}-description`} name="description" label="Description (optional)" maxLength={300} value={values.description ?? ''} autocomplete="off" error={errors.description} />
      <fieldset class={fieldClass('events')} aria-describedby={errors.events ? `${form}-events-error` : undefined}>
        <legend>Events</legend>
        <FieldError id={`${form}-events-error`} error={errors.events} />
        {WEBHOOK_EVENT_NAMES.map((name) => (
          <label class="mod-item__check">
            <input type="checkbox" name={`event:${name}`} value="1" checked={chosen.has(name)} /> <code>{name}</code> — {EVENT_DESCRIPTIONS[name]}
          </label>
        ))}
      </fieldset>
    </>
  );
}

function SecretOnce({ secret }: { secret: string }) {
  return (
    <Notice>
      <p>
        The signing secret is below. Copy it into the receiving system now: it is not shown again (you can replace it with a new one).
      </p>
      <p>
        <label for="webhook-secret">New signing secret</label>
        <input id="webhook-secret" readOnly value={secret} size={60} />
      </p>
    </Notice>
  );
}

export function WebhooksPage({ chrome, endpoints, sites, form, notice }: { chrome: PageChrome; endpoints: WebhookEndpoint[]; sites: Site[]; form: EndpointFormState; notice?: string | null }) {
  return (
    <AdminPage chrome={chrome} title="Webhooks">
      {notice ? <Notice>{notice}</Notice> : null}
      <p>
        Other systems (a CMS, analytics, the moderators’ chat) hear of what happens on a site. Each delivery is signed, retried with growing pauses when the
        receiver fails, and logged.
      </p>
      {endpoints.length === 0 ? (
        <p>No endpoint is registered.</p>
      ) : (
        <table class="audit">
          <caption>Webhook endpoints</caption>
          <TableHead columns={['Address', 'Site', 'Events', 'State']} />
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
                <td>{e.enabled ? 'Active' : 'Paused'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="new-webhook">New endpoint</h2>
      <form method="post" action="/admin/webhooks" class="account-form" aria-labelledby="new-webhook">
        <CsrfField chrome={chrome} />
        <Problems state={form} id="new-webhook-problems" />
        <div class={form.errors.site ? 'field field--invalid' : 'field'}>
          <label for="new-site">Site</label>
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
          <button type="submit">Add endpoint</button>
        </div>
      </form>
    </AdminPage>
  );
}

const OUTCOME_WORDS: Record<WebhookDelivery['outcome'], string> = { delivered: 'Delivered', retrying: 'Failed, will retry', failed: 'Failed' };

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
  return (
    <AdminPage chrome={chrome} title={`Webhook: ${endpoint.url}`}>
      <p>
        <a href="/admin/webhooks">All webhooks</a> · site <code>{endpoint.siteKey}</code> · {endpoint.enabled ? 'active' : 'paused'}
      </p>
      {notice ? <Notice>{notice}</Notice> : null}
      {secret ? <SecretOnce secret={secret} /> : null}
      <form method="post" action={`${base}/test`} class="admin-form">
        <CsrfField chrome={chrome} />
        <button type="submit">Send a test event</button>
      </form>
      <h2 id="delivery-log">Delivery log</h2>
      {deliveries.length === 0 ? (
        <p>Nothing has been delivered yet.</p>
      ) : (
        <table class="audit" aria-labelledby="delivery-log">
          <TableHead columns={['When (UTC)', 'Event', 'Message id', 'Attempt', 'Result', 'Answer', 'Time']} />
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
                  {OUTCOME_WORDS[d.outcome]}
                  {d.error ? `: ${d.error}` : ''}
                </td>
                <td>{d.responseStatus ?? 'none'}</td>
                <td>{d.durationMs} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="edit-webhook">Settings</h2>
      <form method="post" action={base} class="account-form" aria-labelledby="edit-webhook">
        <CsrfField chrome={chrome} />
        <Problems state={form} id="edit-webhook-problems" />
        <EndpointFields form="edit" state={form} />
        <label class="mod-item__check">
          <input type="checkbox" name="enabled" value="1" checked={form.values.enabled ?? endpoint.enabled} /> Active (when paused, only test events are sent and queued messages are dropped)
        </label>
        <div>
          <button type="submit">Save</button>
        </div>
      </form>
      <h2 id="webhook-secret-heading">Signing secret</h2>
      <form method="post" action={`${base}/secret`} class="admin-form" aria-labelledby="webhook-secret-heading">
        <CsrfField chrome={chrome} />
        <p>The secret is never shown again after it is made. Replacing it stops the old one at once.</p>
        <button type="submit">Replace the secret</button>
      </form>
      <h2 id="webhook-delete-heading">Remove</h2>
      <form method="post" action={`${base}/delete`} class="admin-form" aria-labelledby="webhook-delete-heading">
        <CsrfField chrome={chrome} />
        <button type="submit">Remove this endpoint</button>
      </form>
    </AdminPage>
  );
}
