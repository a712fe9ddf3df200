import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { eventsProblem, webhookUrlProblem } from './commands.ts';
import { signedHeaders } from './delivery-job.ts';
import { generateWebhookSecret } from './store.ts';

describe('webhook endpoint rules', () => {
  it('takes full http(s) addresses without credentials or fragments', () => {
    expect(webhookUrlProblem('https://hooks.example.com/parley?x=1')).toBeNull();
    expect(webhookUrlProblem('http://10.0.0.5:8080/in')).toBeNull();
    expect(webhookUrlProblem('')).toMatch(/Give the address/);
    expect(webhookUrlProblem('hooks.example.com/in')).toMatch(/not an address/);
    expect(webhookUrlProblem('file:///etc/passwd')).toMatch(/https:\/\//);
    expect(webhookUrlProblem('https://a:b@hooks.example.com/')).toMatch(/user name or password/);
    expect(webhookUrlProblem('https://hooks.example.com/#x')).toMatch(/fragment/);
    expect(webhookUrlProblem(`https://hooks.example.com/${'a'.repeat(2000)}`)).toMatch(/longer than 2000/);
  });

  it('takes one or more known events', () => {
    expect(eventsProblem(['comment.created', 'reader.registered'])).toBeNull();
    expect(eventsProblem([])).toMatch(/at least one/);
    expect(eventsProblem(['account.registered'])).toMatch(/not an event webhooks send/);
  });
});

describe('signing', () => {
  it('signs what the Standard Webhooks library verifies, and nothing else', () => {
    const secret = generateWebhookSecret();
    expect(secret).not.toBe(generateWebhookSecret());
    const body = JSON.stringify({ type: 'webhook.test', timestamp: new Date().toISOString(), data: {} });
    const headers = signedHeaders(secret, 'msg_1_2', body, new Date());
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'webhook.test' });
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_1_3' })).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
    // A message signed long ago is refused by the receiver (replay protection).
    const old = signedHeaders(secret, 'msg_1_2', body, new Date(Date.now() - 3_600_000));
    expect(() => new Webhook(secret).verify(body, old)).toThrow(/too old/);
  });
});
