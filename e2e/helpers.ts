import { execFileSync } from 'node:child_process';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

// What the browser tests share: fixtures that write straight into the e2e server's database
// (e2e/fixtures/*.ts, each printing one JSON line), and the accessibility check.

/** Runs `e2e/fixtures/<name>.ts` with these arguments and returns the JSON it printed last. */
export function runFixture(name: string, ...args: string[]): any {
  const out = execFileSync('node', ['bin/run-ts.js', `e2e/fixtures/${name}.ts`, ...args], { env: process.env, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** Axe finds nothing on the page (frames included); `where` names the state in the message. */
export async function expectNoAxeViolations(page: Page, where = page.url()): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), where).toEqual([]);
}
