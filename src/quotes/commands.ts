import type { Actor } from '../accounts/model.ts';
import { CommandRefused, runCommand, type CommandContext, type Tx } from '../events/command.ts';
import { audit } from '../moderation/audit.ts';
import { extractQuotes } from './extract.ts';
import { cleanSpeakerName, MAX_SPEAKER_LENGTH, quoteKey, type Correction } from './model.ts';
import { findQuote, personFor, saveExtraction } from './store.ts';
import { quotesDb } from './tables.ts';

export class QuoteRefused extends CommandRefused {
  override readonly name = 'QuoteRefused';
}

/**
 * Finds who the article quotes and stores it, in the import's own transaction, so an article is
 * never shown with the quotes of its previous text. Corrections editors made survive: they are
 * applied again to the new extraction.
 */
export async function extractArticleQuotes(tx: Tx, article: { id: number | string; site_id: number | string; body: string }): Promise<number> {
  const paragraphs = (JSON.parse(article.body) as { text: string }[]).map((b) => b.text);
  return saveExtraction(tx.db, { id: Number(article.id), siteId: Number(article.site_id) }, extractQuotes(paragraphs));
}

/** Extracts again for stored articles (all, or one site's): after the rules improve, or for articles imported before them. */
export async function reextractQuotes(ctx: CommandContext, options: { siteId?: number } = {}): Promise<{ articles: number; quotes: number }> {
  let query = ctx.db.kysely.selectFrom('articles').select('id').orderBy('id');
  if (options.siteId !== undefined) query = query.where('site_id', '=', options.siteId);
  const ids = (await query.execute()).map((r) => Number(r.id));
  let quotes = 0;
  for (const id of ids) {
    quotes += await runCommand(ctx, async (tx) => {
      const row = await tx.db.selectFrom('articles').select(['id', 'site_id', 'body']).where('id', '=', id).executeTakeFirst();
      if (!row) return 0;
      const count = await extractArticleQuotes(tx, row);
      // Cached copies of the article page show the old box.
      tx.emit({ type: 'quotes.extracted', stream: `article:${id}`, payload: { articleId: id, quotes: count } });
      return count;
    });
  }
  return { articles: ids.length, quotes };
}

const short = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

/**
 * An editor's correction of one quote: someone else said it, or it is not a quote. It is kept by
 * the quote's words, so the next import of the article applies it again, and it is audited in words.
 */
export async function correctQuote(ctx: CommandContext, actor: Actor, quoteId: number, correction: Correction): Promise<{ articleSlug: string }> {
  return runCommand(ctx, async (tx) => {
    const quote = await findQuote(tx.db, quoteId);
    if (!quote) throw QuoteRefused.keyed(404, 'quote_not_found', 'quotes.refused.notFound');
    let speaker: string | null = null;
    if (correction.action === 'speaker') {
      speaker = cleanSpeakerName(correction.speaker);
      if (!speaker) throw QuoteRefused.keyed(400, 'invalid_speaker', 'quotes.refused.invalidSpeaker', { max: MAX_SPEAKER_LENGTH });
      if (speaker === quote.speaker) throw QuoteRefused.keyed(400, 'same_speaker', 'quotes.refused.sameSpeaker', { speaker });
    }
    const db = quotesDb(tx.db);
    const now = new Date().toISOString();
    const key = quoteKey(quote.text);
    await db.deleteFrom('quote_corrections').where('article_id', '=', quote.articleId).where('quote_key', '=', key).execute();
    await db
      .insertInto('quote_corrections')
      .values({ article_id: quote.articleId, quote_key: key, paragraph: quote.paragraph, action: correction.action, speaker, actor_id: actor.userId, created_at: now })
      .execute();
    if (speaker) {
      await db.updateTable('quotes').set({ person_id: await personFor(tx.db, quote.siteId, speaker, now), role: null, corrected: 1 }).where('id', '=', quote.id).execute();
    } else {
      await db.deleteFrom('quotes').where('id', '=', quote.id).execute();
    }
    await audit(tx, {
      actorId: actor.userId,
      action: speaker ? 'quote.speaker_changed' : 'quote.not_a_quote',
      targetType: 'article',
      targetId: quote.articleId,
      reason: speaker
        ? `Changed who said “${short(quote.text)}” from ${quote.speaker} to ${speaker}`
        : `Marked “${short(quote.text)}” as not a quote (it was attributed to ${quote.speaker})`,
      detail: { quote: quote.text, paragraph: quote.paragraph, from: quote.speaker, to: speaker },
    });
    tx.emit({ type: 'quotes.corrected', stream: `article:${quote.articleId}`, actorId: actor.userId, payload: { articleId: quote.articleId, quoteId: quote.id, action: correction.action } });
    return { articleSlug: quote.articleSlug };
  });
}
