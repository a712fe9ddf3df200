import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { dialects } from '../helpers/app.ts';
import { postComment, startConversation, type Conversation } from '../comments/setup.ts';

// Refusals and API errors speak the reader's language (issue 16): the same request answers with the
// same status and code whatever the language, English words unchanged, and French words for a reader
// whose browser asks for French. One or two refusals from each area, through real HTTP; and the
// moderation queue's reasons, stored as a key and values, read in the moderator's language.

type Reader = Awaited<ReturnType<Conversation['reader']>>;
type Answer = { status: number; body: any };

const NNBSP = '\u202f';

describe.each(dialects)('refusals in the reader’s language (%s)', (dialect) => {
  let c: Conversation;
  let reader: Reader;
  let mod: Reader;
  let admin: Reader;
  beforeAll(async () => {
    c = await startConversation(dialect);
    reader = await c.reader({ displayName: 'Rita Reader' });
    mod = await c.reader({ displayName: 'Mo Derator', role: 'moderator' });
    admin = await c.reader({ displayName: 'Ada Admin', role: 'admin' });
  });
  afterAll(() => c?.app.close());

  /** The same request asked in English and in French. */
  async function askBoth(client: TestClient, method: string, path: string, body?: unknown, options: { csrf?: boolean } = {}): Promise<{ en: Answer; fr: Answer }> {
    const en = await client.json(method, path, body, { ...options, headers: { 'accept-language': 'en' } });
    const fr = await client.json(method, path, body, { ...options, headers: { 'accept-language': 'fr-FR,fr;q=0.9' } });
    return { en, fr };
  }

  /** Same status and code in both languages; the English words exactly, the French ones as given. */
  function expectRefusal(answers: { en: Answer; fr: Answer }, status: number, code: string, english: string, french: string | RegExp) {
    for (const answer of [answers.en, answers.fr]) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      expect(answer.body.error.code).toBe(code);
    }
    expect(answers.en.body.error.message).toBe(english);
    if (typeof french === 'string') expect(answers.fr.body.error.message).toBe(french);
    else expect(answers.fr.body.error.message).toMatch(french);
  }

  test('shared HTTP errors: sign-in required, CSRF, a reader who is not there', async () => {
    const anonymous = new TestClient(c.app.baseUrl);
    expectRefusal(
      await askBoth(reader.client, 'POST', '/api/v1/notifications/read', { all: true }, { csrf: false }),
      403,
      'csrf_failed',
      'This request could not be verified as coming from this site. Reload the page and try again.',
      'Impossible de vérifier que cette requête provient bien de ce site. Rechargez la page et réessayez.',
    );
    expectRefusal(
      await askBoth(anonymous, 'GET', '/api/v1/moderation/queue/held'),
      401,
      'unauthenticated',
      'You need to sign in to do that.',
      'Vous devez vous connecter pour faire cela.',
    );
    expectRefusal(
      await askBoth(reader.client, 'GET', '/api/v1/readers/nobody-by-that-name'),
      404,
      'not_found',
      'There is no reader with that name here. They may have deleted their account.',
      'Aucun lecteur ne porte ce nom ici. Il a peut-être supprimé son compte.',
    );
  });

  test('moderation: the policy and its commands', async () => {
    expectRefusal(
      await askBoth(reader.client, 'GET', '/api/v1/moderation/queue/held'),
      403,
      'forbidden',
      'Only moderators and admins can moderate.',
      'Seuls les modérateurs et les administrateurs peuvent modérer.',
    );
    const own = await postComment(reader.client, c.article.slug, 'A perfectly ordinary remark about the story.');
    expectRefusal(
      await askBoth(reader.client, 'POST', `/api/v1/comments/${own.id}/report`, { reason: 'spam' }),
      403,
      'own_comment',
      'You cannot report your own comment; you can edit or delete it.',
      `Vous ne pouvez pas signaler votre propre commentaire${NNBSP}; vous pouvez le modifier ou le supprimer.`,
    );
    const target = await c.reader();
    expectRefusal(
      await askBoth(mod.client, 'POST', `/api/v1/moderation/readers/${target.user.handle}/sanction`, { kind: 'warn', reason: '   ' }),
      400,
      'reason_required',
      'Give a reason: the reader is told it, and it goes in the audit log.',
      'Donnez un motif\u00a0: il est communiqué au lecteur et consigné dans le journal de modération.',
    );
  });

  test('community, admin, sites and webhooks', async () => {
    expectRefusal(
      await askBoth(reader.client, 'PUT', `/api/v1/readers/${reader.user.handle}/follow`),
      400,
      'cannot_follow_self',
      'You cannot follow yourself.',
      'Vous ne pouvez pas vous suivre vous-même.',
    );
    expectRefusal(
      await askBoth(admin.client, 'PUT', `/api/v1/admin/readers/${admin.user.handle}/role`, { role: 'reader' }),
      403,
      'own_account',
      'You cannot change your own role; ask another admin.',
      `Vous ne pouvez pas changer votre propre rôle${NNBSP}; demandez-le à un autre administrateur.`,
    );
    // A problem found by the sites' own check (sites.problem.*), said again in the reader's language.
    const badKey = await askBoth(admin.client, 'POST', '/api/v1/admin/sites', { name: 'Le Quotidien', key: 'Not A Key', origins: ['https://www.le-quotidien.example'] });
    expect(badKey.en.status).toBe(400);
    expect(badKey.fr.body.error.code).toBe(badKey.en.body.error.code);
    expect(badKey.en.body.error.message).toMatch(/lower-case/);
    expect(badKey.fr.body.error.message).toMatch(/minuscules/);
    expectRefusal(
      await askBoth(admin.client, 'POST', '/api/v1/admin/webhooks', { url: 'ftp://hooks.example.com/parley', events: ['comment.created'] }),
      400,
      'invalid_webhook',
      'The address must start with https:// (or http://).',
      'L’adresse doit commencer par https:// (ou http://).',
    );
    expectRefusal(
      await askBoth(admin.client, 'GET', '/api/v1/admin/webhooks?site=nowhere'),
      400,
      'unknown_site',
      'There is no site with the key “nowhere”.',
      `Aucun site n’a la clé «${NNBSP}nowhere${NNBSP}».`,
    );
  });

  test('account problems carry their values: lengths and the password advice', async () => {
    expectRefusal(
      await askBoth(reader.client, 'PATCH', '/api/v1/me', { displayName: 'R' }),
      400,
      'invalid_display_name',
      'Choose a display name of at least 2 characters.',
      'Choisissez un nom d’affichage d’au moins 2 caractères.',
    );
    expectRefusal(
      await askBoth(reader.client, 'PATCH', '/api/v1/me', { bio: 'x'.repeat(501) }),
      400,
      'bio_too_long',
      'Keep your bio to 500 characters (it has 501).',
      'Votre présentation ne doit pas dépasser 500 caractères (elle en compte 501).',
    );
    const short = await askBoth(new TestClient(c.app.baseUrl), 'POST', '/api/v1/auth/register', { email: 'short-password@example.test', password: 'abc', displayName: 'Sandy Short' });
    expect(short.en.body.error.code).toBe('weak_password');
    expect(short.en.body.error.message).toBe('Use at least 10 characters for your password (this one has 3).');
    expect(short.fr.body.error.message).toBe('Choisissez un mot de passe d’au moins 10 caractères (celui-ci en a 3).');
    // The estimator's reason and the advice, whole sentences in the reader's language.
    const weak = await askBoth(new TestClient(c.app.baseUrl), 'POST', '/api/v1/auth/register', { email: 'weak-password@example.test', password: 'qwertyuiop', displayName: 'Wanda Weak' });
    expect(weak.en.body.error.code).toBe('weak_password');
    expect(weak.fr.body.error.code).toBe('weak_password');
    expect(weak.en.body.error.message).toMatch(/^This password is (on the lists|too easy).*\. Try three or four unrelated words, or a longer sentence only you would think of\.$/);
    expect(weak.fr.body.error.message).toMatch(/^Ce mot de passe (figure sur les listes|est trop facile).*\. Essayez trois ou quatre mots sans rapport entre eux/);
  });

  test('the moderation queue says why a comment waits in the moderator’s language; older rows keep their English', async () => {
    await c.set('suspectWords', ['scoundrel']);
    const held = await postComment(reader.client, c.article.slug, 'The minister is a scoundrel.');
    await c.set('suspectWords', []);
    // Three readers report an approved comment: it goes back to the queue, with how many reported it.
    const reported = await postComment(reader.client, c.article.slug, 'A remark some readers will not like.');
    for (let i = 0; i < 3; i++) {
      const other = await c.reader();
      expect((await other.client.post(`/api/v1/comments/${reported.id}/report`, { reason: 'abuse' })).status).toBeLessThan(300);
    }
    const queuePage = (language: string) => mod.client.page('/moderate?queue=held', { 'accept-language': language });

    const french = await queuePage('fr');
    expect(french).toContain(`Contient le terme suspect «${NNBSP}scoundrel${NNBSP}» (sous la forme «${NNBSP}scoundrel${NNBSP}»)`);
    expect(french).toContain('Signalé par 3 lecteurs');
    const english = await queuePage('en');
    expect(english).toMatch(/Contains the suspect term (&quot;|")scoundrel(&quot;|") \(as (&quot;|")scoundrel(&quot;|")\)/);
    expect(english).toContain('Reported by 3 readers');

    // A row written before the details were stored with their values shows the English it has.
    await c.app.ctx.db.kysely.updateTable('comments').set({ moderation_detail: 'Held by the old rules.', moderation_detail_values: null }).where('id', '=', held.id).execute();
    expect(await queuePage('fr')).toContain('Held by the old rules');
  });
});
