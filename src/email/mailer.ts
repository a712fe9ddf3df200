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

/** A mail composed after the request has been answered; null sends nothing. */
export type DeferredMail = () => Promise<MailMessage | null>;

/**
 * How Parley sends e-mail. `send` delivers now and reports failures. `sendLater` is for requests that
 * must answer alike whether or not a mail goes out (no timing or error leaks about who has an
 * account); `close` waits for those. Later issues move mail to the jobs table; this interface stays.
 */
export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
  sendLater(message: MailMessage | DeferredMail): void;
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
  const pending = new Set<Promise<unknown>>();

  async function send(message: MailMessage): Promise<SentMail> {
    const info = await (await getTransport()).sendMail({ from, ...message });
    if (config.smtpUrl) return { messageId: info.messageId };
    await fs.mkdir(outbox, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
    const file = path.join(outbox, name);
    await fs.writeFile(file, (info as unknown as { message: Buffer }).message);
    if (!quiet) log.info(`mail to ${message.to} ("${message.subject}") written to ${file}`);
    return { messageId: info.messageId, file };
  }

  return {
    send,
    sendLater(message) {
      const job = (async () => {
        // Answer the request first: the work below must not show in its timing.
        await new Promise((resolve) => setImmediate(resolve));
        const mail = typeof message === 'function' ? await message() : message;
        if (mail) await send(mail);
      })()
        .catch((error: unknown) => {
          if (!quiet) log.error(`sending a mail failed: ${(error as Error).message}`);
        })
        .finally(() => pending.delete(job));
      pending.add(job);
    },
    async close() {
      await Promise.allSettled([...pending]);
      if (transport) (await transport).close();
    },
  };
}
