import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

export interface SentMail {
  messageId: string;
  /** Where the message was written when no SMTP server is configured. */
  file?: string;
}

/**
 * How Parley sends e-mail: `send` delivers now and reports failures. Nothing calls it in a request:
 * every mail is a job (events/jobs.ts), enqueued with the change it tells about and retried when the
 * mail server is down.
 */
export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
  close(): Promise<void>;
}

type Log = { info(message: string): void; error(message: string): void };

/** The From address: the site's own host when it has a real name, else a reserved one. */
export function fromAddress(publicUrl: string): string {
  const host = new URL(publicUrl).hostname;
  const usable = host.includes('.') && !/^[\d.]+$/.test(host) && !host.includes(':');
  return `Parley <no-reply@${usable ? host : 'parley.invalid'}>`;
}

/** SMTP when SMTP_URL is set; otherwise real RFC 822 files in DATA_DIR/outbox, so a local install works end to end. */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'dataDir' | 'publicUrl' | 'logLevel'>, log: Log): Mailer {
  const from = fromAddress(config.publicUrl);
  const outbox = path.join(config.dataDir, 'outbox');
  const quiet = config.logLevel === 'silent';
  // nodemailer is loaded on the first mail: commands that send none (migrate, import) start faster.
  let transport: Promise<Transporter> | null = null;
  const getTransport = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      config.smtpUrl
        ? nodemailer.createTransport(config.smtpUrl)
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }),
    ));

  async function send(message: MailMessage): Promise<SentMail> {
    const info = await (await getTransport()).sendMail({ from, ...message });
    if (config.smtpUrl) return { messageId: info.messageId };
    await fs.mkdir(outbox, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
    const file = path.join(outbox, name);
    await fs.writeFile(file, (info as unknown as { message: Buffer }).message);
    // The recipient stays out of the log (personal data); the file holds it for whoever needs it.
    if (!quiet) log.info(`mail "${message.subject}" written to ${file}`);
    return { messageId: info.messageId, file };
  }

  return {
    send,
    async close() {
      if (transport) (await transport).close();
    },
  };
}
