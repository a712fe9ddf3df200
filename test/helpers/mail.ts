import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
export { waitFor } from './wait.ts';

// Reading the mails Parley sends: from the local outbox (.eml files) or from a real SMTP server.

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  /** The HTML alternative, decoded, when the mail has one. */
  html?: string;
  raw: string;
}

function decodeBody(body: string, encoding: string): string {
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

function decodeHeader(value: string): string {
  // The space between two encoded words of a folded header is no part of the text (RFC 2047, 6.2):
  // dropped before decoding, else a long subject reads "mard i" where it said "mardi".
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeBody(text.replace(/_/g, ' '), 'quoted-printable'),
  );
}

/** A message's headers (folded lines unfolded) and its body. */
function splitPart(raw: string) {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  return { header, body };
}

/**
 * A message as a reader's client reads it: a single text part, or a multipart/alternative one
 * (Parley's mails: text and HTML) whose text part is `text` and HTML part `html`.
 */
export function parseMail(raw: string): ReceivedMail {
  const { header, body } = splitPart(raw);
  const mail = { to: header('To'), subject: decodeHeader(header('Subject')), raw };
  const boundary = /^multipart\/.*boundary="?([^";]+)"?/i.exec(header('Content-Type'))?.[1];
  if (!boundary) return { ...mail, text: decodeBody(body, header('Content-Transfer-Encoding')).replace(/\r\n/g, '\n') };
  let text = '';
  let html: string | undefined;
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const part = splitPart(chunk.replace(/^\r?\n/, ''));
    const decoded = decodeBody(part.body.replace(/\r?\n$/, ''), part.header('Content-Transfer-Encoding')).replace(/\r\n/g, '\n');
    if (/^text\/plain/i.test(part.header('Content-Type'))) text = decoded;
    else if (/^text\/html/i.test(part.header('Content-Type'))) html = decoded;
  }
  return { ...mail, text, ...(html === undefined ? {} : { html }) };
}

// Each outbox file is parsed once, not on every poll: browser tests poll the outbox every few
// milliseconds while they wait for a mail, and parsing all of them took ~25 ms of CPU with 80 mails,
// taken from the server and Chromium. A file is parsed again if it has grown since (the server
// writes it with no rename: a poll may catch it half written).
const parsedOutbox = new Map<string, { size: number; mail: ReceivedMail }>();

/** Every mail in DATA_DIR/outbox (the server's mail when it has no SMTP server), oldest first. */
export function outboxMails(dataDir: string): ReceivedMail[] {
  const dir = path.join(dataDir, 'outbox');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      let entry = parsedOutbox.get(file);
      if (!entry || entry.size !== fs.statSync(file).size) {
        const raw = fs.readFileSync(file);
        entry = { size: raw.length, mail: parseMail(raw.toString('utf8')) };
        parsedOutbox.set(file, entry);
      }
      return entry.mail;
    });
}

/** The first link in a mail that starts with the given path. */
export function linkIn(mail: ReceivedMail, pathPrefix: string): URL {
  const match = new RegExp(`https?://\\S+${pathPrefix.replace(/[?]/g, '\\?')}\\S*`).exec(mail.text);
  if (!match) throw new Error(`no ${pathPrefix} link in mail "${mail.subject}":\n${mail.text}`);
  return new URL(match[0]);
}

/** A real SMTP server on a random local port that keeps every message it receives (or, on demand, refuses them). */
export interface TestSmtpServer {
  url: string;
  mails: ReceivedMail[];
  /** Set `failing` to refuse every message with a 451 (an outage); `refused` counts them. */
  state: { failing: boolean; refused: number };
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const state = { failing: false, refused: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.failing) {
          state.refused++;
          return callback(Object.assign(new Error('451 try again later'), { responseCode: 451 }));
        }
        mails.push(parseMail(Buffer.concat(chunks).toString('utf8')));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('smtp server has no port');
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    mails,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
