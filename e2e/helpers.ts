import { AxeBuilder } from './axe.ts';
import { expect, type Page } from '@playwright/test';

// What the browser tests share: fixtures that write straight into the e2e server's database
// (e2e/fixtures/*.ts), and the accessibility check.

/**
 * Runs `e2e/fixtures/<name>.ts` with these arguments, in this worker, and returns what it answers (as
 * JSON, as the page would see it). A Node process per call cost 2–3 s of CPU loading the sources, and
 * 10–40 s of waiting on a busy machine; in the worker they load once.
 */
export async function runFixture(name: string, ...args: string[]): Promise<any> {
  const fixture = (await import(`./fixtures/${name}.ts`)) as { run(args: string[]): Promise<unknown> };
  return JSON.parse(JSON.stringify(await fixture.run(args)));
}

/** Axe finds nothing on the page (frames included); `where` names the state in the message. */
export async function expectNoAxeViolations(page: Page, where = page.url()): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), where).toEqual([]);
}

/** Selects the first occurrence of `words` inside the element `selector` names, as a reader dragging over them would. */
export async function selectWords(page: Page, selector: string, words: string): Promise<void> {
  await page.evaluate(
    ({ selector, words }) => {
      const walker = document.createTreeWalker(document.querySelector(selector)!, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(words);
        if (at === -1) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + words.length);
        document.getSelection()!.removeAllRanges();
        document.getSelection()!.addRange(range);
        return;
      }
      throw new Error(`"${words}" is not in ${selector}`);
    },
    { selector, words },
  );
}
