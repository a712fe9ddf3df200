import { randomBytes } from 'node:crypto';
import { Agent } from 'undici';
import type { TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { linkIn, outboxMails, waitFor, type ReceivedMail } from '../helpers/mail.ts';

export const GOOD_PASSWORD = 'purple elephant marmalade';

export const uniqueEmail = (name = 'reader') => `${name}-${randomBytes(3).toString('hex')}@example.com`;
export const uniqueName = (name = 'Reader') => `${name} ${randomBytes(3).toString('hex')}`;

export async function registerReader(app: TestApp, fields: { email?: string; displayName?: string; password?: string } = {}) {
  const client = new TestClient(app.baseUrl);
  const body = { email: fields.email ?? uniqueEmail(), displayName: fields.displayName ?? uniqueName(), password: fields.password ?? GOOD_PASSWORD };
  const res = await client.post('/api/v1/auth/register', body);
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { client, user: res.body.user, ...body };
}

/** The newest outbox mail to an address whose subject matches. */
export function mailTo(app: TestApp, to: string, subject: RegExp, timeoutMs = 5000): Promise<ReceivedMail> {
  return waitFor(() => outboxMails(app.config.dataDir).filter((m) => m.to === to && subject.test(m.subject)).at(-1), `a mail "${subject}" to ${to}`, timeoutMs);
}

export const mailsTo = (app: TestApp, to: string) => outboxMails(app.config.dataDir).filter((m) => m.to === to);

/** The token of the first link with this path in a mail. */
export const tokenIn = (mail: ReceivedMail, path: string) => linkIn(mail, path).searchParams.get('token')!;

/**
 * Waits until every mail job due now has run (sent, or given up), so that a test can count the mails
 * that came and be sure none is still on its way, however busy the machine is.
 */
export async function settle(app: TestApp): Promise<void> {
  await waitFor(async () => {
    const open = await app.ctx.db.kysely
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('done_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('run_at', '<=', new Date().toISOString())
      .executeTakeFirstOrThrow();
    return Number(open.n) === 0 ? true : null;
  }, 'the due mail jobs to run');
}

export function cookieLine(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/**
 * A browser at another IP address: its connections leave from that loopback address (127.0.0.0/8
 * all reach a server on 127.0.0.1), so the server sees a different `request.ip`, as it would for
 * readers on different networks.
 */
export class ClientAt extends TestClient {
  private readonly dispatcher: Agent;
  constructor(baseUrl: string, readonly address: string) {
    super(baseUrl);
    this.dispatcher = new Agent({ localAddress: address });
  }

  override async raw(path: string, init: RequestInit = {}): Promise<Response> {
    return super.raw(path, { ...init, dispatcher: this.dispatcher } as RequestInit);
  }

  close = () => this.dispatcher.close();
}
