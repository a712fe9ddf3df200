import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Starts the files named `*.slow.test.ts` first. Without timings from an earlier run (a clean clone in
 * CI has none) vitest starts the largest files first, so a short file that runs for minutes (the
 * importers' evaluation over the development set) started last and ran alone at the end of the suite.
 */
export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (file: TestSpecification) => /\.slow\.test\.tsx?$/.test(file.moduleId);
    return [...sorted.filter(slow), ...sorted.filter((file) => !slow(file))];
  }
}
