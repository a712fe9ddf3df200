import { atLeast, type Actor } from '../accounts/model.ts';
import { HttpError } from '../http/errors.ts';

// Who may see the newsroom's sources report and correct attributions: the newsroom (staff, the
// editors) and up. Readers see quotes on the article and person pages only.

export function mayReviewSources(actor: Actor | null): void {
  if (!actor) throw HttpError.translated(401, 'unauthenticated', 'quotes.sources.signIn');
  if (!atLeast(actor, 'staff')) throw HttpError.translated(403, 'forbidden', 'quotes.sources.forbidden');
}
