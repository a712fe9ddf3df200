// The moderation queue island. The page works without it (every action is a form); with it, the
// keyboard drives the queue (j/k move, a approve, r reject, f feature, ? help), decisions happen in
// place, and the queue follows the moderation stream live. Markup comes from the server's fragment.
// The bulk form gains "select all" and a count of the ticked comments; ticks survive a live refresh.

const root = document.querySelector<HTMLElement>('#moderate');
if (root) enhance(root);

function enhance(root: HTMLElement): void {
  const status = root.querySelector<HTMLElement>('.mod-status');
  const help = root.querySelector<HTMLDetailsElement>('#mod-help');
  const fragmentUrl = `/fragments/moderate?queue=${encodeURIComponent(root.dataset.queue ?? 'held')}&article=${encodeURIComponent(root.dataset.article ?? '')}`;
  let current: number | null = null;
  // The page's words for what the island says (pages.tsx islandMessages); English only if they are missing.
  const messages = readMessages(root);

  const items = () => [...root.querySelectorAll<HTMLElement>('.mod-item')];
  const say = (text: string) => {
    if (status) status.textContent = text;
  };

  function select(el: HTMLElement | undefined): void {
    if (!el) return;
    for (const other of items()) other.classList.toggle('mod-item--current', other === el);
    current = Number(el.dataset.id);
    el.focus();
  }

  function selected(): HTMLElement | undefined {
    return items().find((el) => Number(el.dataset.id) === current);
  }

  async function refresh(): Promise<void> {
    const res = await fetch(fragmentUrl, { headers: { accept: 'text/html' } });
    if (!res.ok) return;
    const tpl = document.createElement('template');
    tpl.innerHTML = await res.text();
    const fresh = tpl.content.firstElementChild;
    const list = root.querySelector('#mod-list');
    if (!fresh || !list) return;
    const hadFocus = list.contains(document.activeElement) && !(document.activeElement instanceof HTMLInputElement);
    const ticked = new Set(bulkBoxes().filter((box) => box.checked).map((box) => box.value));
    list.replaceWith(fresh);
    for (const box of bulkBoxes()) box.checked = ticked.has(box.value);
    countSelected();
    const again = selected();
    if (again) {
      again.classList.add('mod-item--current');
      if (hadFocus) again.focus();
    }
  }

  async function submit(form: HTMLFormElement): Promise<void> {
    const item = form.closest<HTMLElement>('.mod-item');
    const data = new FormData(form);
    const res = await fetch(form.action, { method: 'POST', body: new URLSearchParams(data as unknown as Record<string, string>), headers: { accept: 'text/html' }, redirect: 'manual' });
    if (res.type !== 'opaqueredirect' && !res.ok) {
      say(messages.failed);
      return;
    }
    const next = item ? items()[items().indexOf(item) + 1] ?? items()[items().indexOf(item) - 1] : undefined;
    say(messages.done[String(data.get('decision'))] ?? messages.doneOther);
    await refresh();
    if (next && document.body.contains(next)) select(selected() ?? next);
    else select(selected() ?? items()[0]);
  }

  const bulkBoxes = () => [...root.querySelectorAll<HTMLInputElement>('input[data-bulk-item]')];
  const all = root.querySelector<HTMLElement>('[data-bulk-all]');
  const allBox = all?.querySelector<HTMLInputElement>('input');
  const count = root.querySelector<HTMLElement>('[data-bulk-count]');
  function countSelected(): void {
    const boxes = bulkBoxes();
    const n = boxes.filter((box) => box.checked).length;
    if (count) {
      count.hidden = false;
      count.textContent = n === 0 ? messages.selectedNone : n === 1 ? messages.selectedOne : messages.selectedMany.replace('{n}', n.toLocaleString(document.documentElement.lang || undefined));
    }
    if (allBox) {
      allBox.checked = n > 0 && n === boxes.length;
      allBox.indeterminate = n > 0 && n < boxes.length;
    }
  }
  if (all && allBox) {
    all.hidden = false;
    allBox.addEventListener('change', () => {
      for (const box of bulkBoxes()) box.checked = allBox.checked;
      countSelected();
    });
  }
  root.addEventListener('change', (event) => {
    if ((event.target as HTMLElement).matches('input[data-bulk-item]')) countSelected();
  });
  countSelected();

  root.addEventListener('submit', (event) => {
    const form = event.target as HTMLFormElement;
    if (!form.dataset.decision) return;
    event.preventDefault();
    void submit(form);
  });

  root.addEventListener('focusin', (event) => {
    const item = (event.target as Element).closest<HTMLElement>('.mod-item');
    if (item) {
      current = Number(item.dataset.id);
      for (const other of items()) other.classList.toggle('mod-item--current', other === item);
    }
  });

  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (event.ctrlKey || event.metaKey || event.altKey || target.closest('input, textarea, select')) return;
    const list = items();
    const here = selected();
    const at = here ? list.indexOf(here) : -1;
    const form = (name: string) => here?.querySelector<HTMLFormElement>(`form[data-decision="${name}"]`);
    switch (event.key) {
      case 'j':
        select(list[Math.min(at + 1, list.length - 1)]);
        break;
      case 'k':
        select(list[Math.max(at - 1, 0)]);
        break;
      case 'a':
        if (form('approve')) void submit(form('approve')!);
        break;
      case 'f':
        if (form('feature')) void submit(form('feature')!);
        break;
      case 'r':
        form('reject')?.querySelector('input[name="reason"]')?.dispatchEvent(new Event('focus'));
        form('reject')?.querySelector<HTMLInputElement>('input[name="reason"]')?.focus();
        break;
      case '?':
        if (help) help.open = !help.open;
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  // Live: anything that changes a queue makes the island fetch the queue again.
  if (typeof EventSource === 'function') {
    const stream = new EventSource(`/api/v1/moderation/live?after=${encodeURIComponent(root.dataset.after ?? '')}`);
    let pending: number | undefined;
    const changed = () => {
      clearTimeout(pending);
      pending = window.setTimeout(() => void refresh(), 150);
    };
    for (const name of ['moderation.comment', 'comment.moderated', 'comment.reported', 'reader.sanctioned']) stream.addEventListener(name, changed);
    stream.addEventListener('reset', () => void refresh());
  }
}

interface IslandMessages {
  selectedNone: string;
  selectedOne: string;
  selectedMany: string;
  failed: string;
  done: Record<string, string>;
  doneOther: string;
}

function readMessages(root: HTMLElement): IslandMessages {
  const fallback: IslandMessages = {
    selectedNone: 'No comment selected.',
    selectedOne: '1 comment selected.',
    selectedMany: '{n} comments selected.',
    failed: 'That did not work. Please try again, or reload the page.',
    done: {},
    doneOther: 'Done.',
  };
  try {
    return { ...fallback, ...(JSON.parse(root.dataset.messages ?? '{}') as Partial<IslandMessages>) };
  } catch {
    return fallback;
  }
}
