import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseMail, startSmtpServer, waitFor } from '../../test/helpers/mail.ts';
import { createMailer, fromAddress } from './mailer.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-mailer-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const base = { dataDir, publicUrl: 'https://news.example.org', logLevel: 'silent' as const };
const quiet = { info: () => undefined, error: () => undefined };

describe('the mailer without SMTP', () => {
  test('writes a real RFC 822 message to DATA_DIR/outbox and logs its path', async () => {
    const logged: string[] = [];
    const mailer = createMailer({ ...base, smtpUrl: null, logLevel: 'info' }, { info: (m) => logged.push(m), error: () => undefined });
    const sent = await mailer.send({ to: 'ann@example.com', subject: 'Hello — Ünïcode', text: `A long line ${'x'.repeat(100)}\nhttps://news.example.org/verify-email?token=abc` });
    await mailer.close();
    expect(sent.file).toMatch(new RegExp(`^${dataDir}/outbox/.+\\.eml$`));
    const raw = fs.readFileSync(sent.file!, 'utf8');
    expect(raw).toMatch(/^From: Parley <no-reply@news\.example\.org>\r\n/);
    expect(raw).toContain('\r\nTo: ann@example.com\r\n');
    expect(raw).toMatch(/\r\nMessage-ID: <.+>\r\n/);
    expect(raw).toMatch(/\r\nDate: .+\r\n/);
    const mail = parseMail(raw);
    expect(mail.subject).toBe('Hello — Ünïcode');
    expect(mail.text).toContain('https://news.example.org/verify-email?token=abc');
    expect(logged.join('\n')).toContain(sent.file);
  });

  test('a mail with an HTML part is multipart/alternative, both parts whole, with its Content-Language', async () => {
    const mailer = createMailer({ ...base, smtpUrl: null }, quiet);
    const html = `<!doctype html><html lang="fr"><body><p>Bienvenue\u00a0! ${'é'.repeat(120)}</p><a href="https://news.example.org/verify-email?token=a&amp;next=%2F">Confirmer</a></body></html>`;
    const sent = await mailer.send({ to: 'ann@example.com', subject: 'Confirmez', text: 'Bienvenue\u00a0!\nhttps://news.example.org/verify-email?token=a&next=%2F', html, headers: { 'Content-Language': 'fr' } });
    await mailer.close();
    const raw = fs.readFileSync(sent.file!, 'utf8');
    expect(raw).toMatch(/^(?:.+\r\n)*Content-Language: fr\r\n/);
    expect(raw).toMatch(/\r\nContent-Type: multipart\/alternative;/);
    const mail = parseMail(raw);
    expect(mail.text).toBe('Bienvenue\u00a0!\nhttps://news.example.org/verify-email?token=a&next=%2F');
    expect(mail.html).toBe(html);
  });

  test('uses a reserved From domain when the site has no real host name', () => {
    expect(fromAddress('http://127.0.0.1:3000')).toBe('Parley <no-reply@parley.invalid>');
  });
});

describe('the mailer with SMTP_URL', () => {
  test('delivers to the SMTP server', async () => {
    const smtp = await startSmtpServer();
    try {
      const mailer = createMailer({ ...base, smtpUrl: smtp.url }, quiet);
      const sent = await mailer.send({ to: 'bob@example.com', subject: 'By SMTP', text: 'Hello Bob' });
      expect(sent.file).toBeUndefined();
      const mail = await waitFor(() => smtp.mails.find((m) => m.to === 'bob@example.com'), 'the SMTP delivery');
      expect(mail.subject).toBe('By SMTP');
      expect(mail.text.trim()).toBe('Hello Bob');
      await mailer.close();
    } finally {
      await smtp.close();
    }
  });
});
