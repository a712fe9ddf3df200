import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/index.ts';
import { AUDIT_ACTIONS, describeAudit, type AuditNames } from './audit-text.ts';
import type { AuditEntry } from './store.ts';

const names: AuditNames = {
  readers: new Map([['1007', { handle: 'carol-troll', displayName: 'Carol Troll' }]]),
  comments: new Map([['1042', { authorHandle: 'carol-troll', headline: 'Ferry fares rise' }]]),
  articles: new Map([['1003', 'Ferry fares rise']]),
  sites: new Map([['north', 'The North Gazette']]),
};

/** A plausible entry for each action, with the detail its command writes. */
function entry(action: string): AuditEntry {
  const [kind] = action.split('.');
  const target: Record<string, [string, string]> = { comment: ['comment', '1042'], reader: ['reader', '1007'], moderator: ['reader', '1007'], article: ['article', '1003'], settings: ['settings', 'spamHoldThreshold'], job: ['job', '1009'], site: ['site', 'north'], webhook: ['site', 'north'] };
  const details: Record<string, unknown> = {
    'comment.approve': { from: 'held', to: 'approved' },
    'reader.suspend': { until: '2026-12-24T09:00:00.000Z', rejected: 0 },
    'reader.ban': { until: null, rejected: 3 },
    'reader.role': { from: 'reader', to: 'moderator' },
    'reader.note': { note: 1005 },
    'moderator.sites': { sites: ['north'] },
    'article.mode': { from: 'post', to: 'closed' },
    'settings.change': { from: 0.7, to: 0.8 },
    'job.retry': { kind: 'email.notification', lastError: 'SMTP down' },
    'site.create': { name: 'The North Gazette', origins: [], theme: {} },
    'site.update': { name: { from: 'North', to: 'The North Gazette' }, origins: { from: [], to: ['https://north.example'] } },
    'webhook.create': { webhook: 1004, url: 'https://hooks.example/in', events: ['comment.created'], enabled: true, secret: 'set' },
    'webhook.update': { webhook: 1004, changed: { url: { from: 'a', to: 'b' } } },
    'webhook.delete': { webhook: 1004, url: 'https://hooks.example/in', events: [] },
    'webhook.test': { webhook: 1004, messageId: 'msg_test_1' },
  };
  const [targetType, targetId] = target[kind!]!;
  return { id: 1, actorId: 2, actorHandle: 'desk', actorName: 'Desk Editor', action, targetType, targetId, reason: kind === 'reader' || action === 'comment.reject' ? 'spam links.' : null, detail: details[action] ?? {}, createdAt: '2026-12-01T12:00:00.000Z' };
}

describe('the audit log in words', () => {
  it('has a sentence for every action, naming people and things, never codes, ids or JSON', () => {
    for (const [action] of AUDIT_ACTIONS) {
      const text = describeAudit(entry(action), names);
      expect(text, action).toMatch(/^Desk Editor [a-z]/);
      expect(text, action).not.toContain(action);
      expect(text, action).not.toMatch(/[{}[\]"]|\.\.|\b10\d\d\b|msg_test/);
    }
  });

  it('reads as a newsroom would say it', () => {
    expect(describeAudit(entry('reader.ban'), names)).toBe('Desk Editor banned @carol-troll and rejected 3 comments of theirs: spam links');
    expect(describeAudit(entry('reader.suspend'), names)).toBe('Desk Editor suspended @carol-troll until 24 December 2026 at 09:00 UTC: spam links');
    expect(describeAudit(entry('reader.suspend'), names, createTranslator('fr'))).toMatch(/^Desk Editor a suspendu @carol-troll jusqu’au 24 décembre 2026 à 09:00 UTC/);
    expect(describeAudit(entry('comment.reject'), names)).toBe('Desk Editor rejected a comment by @carol-troll on “Ferry fares rise”: spam links');
    expect(describeAudit(entry('reader.role'), names)).toBe('Desk Editor made @carol-troll a moderator (was a reader): spam links');
    expect(describeAudit(entry('article.mode'), names)).toBe('Desk Editor set the conversation on “Ferry fares rise” to closed (was open)');
    expect(describeAudit(entry('settings.change'), names)).toBe('Desk Editor changed the spam score that holds a comment from 0.7 to 0.8');
    expect(describeAudit(entry('moderator.sites'), names)).toBe('Desk Editor limited @carol-troll to moderating “The North Gazette”');
    expect(describeAudit({ ...entry('reader.warn'), actorId: null, actorHandle: null, actorName: null }, names)).toBe('An operator on the server warned @carol-troll: spam links');
    expect(describeAudit({ ...entry('reader.warn'), targetId: '99999' }, names)).toBe('Desk Editor warned a deleted account: spam links');
  });

  it('knows every action the code writes to the log', () => {
    const root = path.join(import.meta.dirname, '..');
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && !f.includes('.test.'));
    const written = new Set<string>();
    for (const file of files) {
      const source = fs.readFileSync(path.join(root, file), 'utf8');
      if (!source.includes('audit(')) continue;
      for (const m of source.matchAll(/action: '([a-z_]+\.[a-z_]+)'/g)) written.add(m[1]!);
    }
    expect(written.size).toBeGreaterThan(10);
    const known = new Set(AUDIT_ACTIONS.map(([a]) => a));
    expect([...written].filter((a) => !known.has(a))).toEqual([]);
  });
});
