import { atLeast, type Actor } from '../accounts/model.ts';
import { HttpError } from '../http/errors.ts';

// Who may see the newsroom's sources report and correct attributions: the newsroom (staff, the
// editors) and up. Readers see quotes on the article and person pages only.

export function mayReviewSources(actor: Actor | null): void {
  if (!actor) throw new HttpError(401, 'unauthenticated', 'You need to sign in to do that.');
  if (!atLeast(actor, 'staff')) throw new HttpError(403, 'forbidden', 'Only newsroom staff, moderators and admins can see and correct who the stories quote.');
}
