import type { ActionFacts } from './actions.ts';
import type { ActionFlags } from './action-links.ts';

// Issue 19 §1: for a reader whose browser runs the island, the article page carries the shared
// threads exactly as an anonymous reader gets them, plus this compact JSON of the viewer's actions
// for the comments on it; the island writes each comment's links from it (action-links.ts, the same
// function the server uses). A page without JavaScript gets the links merged in by the server
// instead (shared-conversation.tsx joinSlots), so every action stays a link there.
//
// The format: `{"d":"rptf","c":{"976":"Rptf","980":"ped"}}`: `d` the letters most comments on the
// page share, `c` those of the comments that differ (the viewer's own, those they respected or
// reported, those by readers they follow). Letters and numbers only, so it needs no escaping.

/** The element the state travels in, inside the comments section. */
export const VIEWER_STATE_ID = 'comments-viewer';

/** The cookie the island sets to say that this browser runs it (client/comments.ts). */
export const SCRIPTED_COOKIE = 'parley_js';

/** The query parameter a reader without JavaScript follows from the notice to get the links merged in. */
export const NO_SCRIPT_PARAM = 'js';

export interface ViewerState {
  d: ActionFlags;
  c: Record<string, ActionFlags>;
}

/** The viewer's letters for each comment, compacted around the most common ones. */
export function viewerState(slots: readonly ActionFacts[], flagsOf: (facts: ActionFacts) => ActionFlags): ViewerState {
  const flags = slots.map(flagsOf);
  const counts = new Map<string, number>();
  let d = '';
  let best = 0;
  for (const f of flags) {
    const n = (counts.get(f) ?? 0) + 1;
    counts.set(f, n);
    if (n > best) [d, best] = [f, n];
  }
  const c: Record<string, ActionFlags> = {};
  for (let i = 0; i < slots.length; i++) if (flags[i] !== d) c[slots[i]!.id] = flags[i]!;
  return { d, c };
}

/** The state as the page carries it. */
export function viewerStateHtml(state: ViewerState): string {
  return `<script type="application/json" id="${VIEWER_STATE_ID}">${JSON.stringify(state)}</script>`;
}
