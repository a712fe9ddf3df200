import { createRequire } from 'node:module';
import { AxeBuilder as PlaywrightAxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';

// AxeBuilder as @axe-core/playwright makes it, checking the same rules, at about half the cost on the
// pages Parley serves. By default it runs axe in each frame, then opens a blank page, puts a second
// copy of axe (580 KB of script) in it and combines the frames' results there: that blank page and
// copy took ~40 % of each check (2 s + 8.6 s of 28 s on the loaded test machine). A page without
// frames has nothing to combine: axe.run in the page itself ("legacy mode") gives the same results.
// That mode puts axe in the page twice; the guard makes the second time a no-op. Pages with frames
// (the embed) keep the default, which also reaches frames from other origins.

const axeSource: string = createRequire(import.meta.resolve('@axe-core/playwright'))('axe-core').source;
const ONCE_PER_DOCUMENT = `if (typeof window.axe === 'undefined') {\n${axeSource}\n}`;

export class AxeBuilder extends PlaywrightAxeBuilder {
  readonly #page: Page;

  constructor({ page }: { page: Page }) {
    super({ page, axeSource: ONCE_PER_DOCUMENT });
    this.#page = page;
  }

  override async analyze() {
    if (this.#page.frames().length === 1) this.setLegacyMode(true);
    return super.analyze();
  }
}
