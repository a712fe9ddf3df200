import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingProblem, settingsFromStored } from './model.ts';

describe('settings', () => {
  it('uses the defaults for what is not stored and the stored value for what is', () => {
    const s = settingsFromStored({ editWindowMinutes: '30', autoCloseDays: '7' });
    expect(s).toEqual({ ...DEFAULT_SETTINGS, editWindowMinutes: 30, autoCloseDays: 7 });
  });

  it('ignores unknown keys, malformed JSON and out-of-range values', () => {
    const s = settingsFromStored({ nope: '1', commentMaxLength: '{', threadsPerPage: '0', repliesPerPage: '"x"' });
    expect(s).toEqual(DEFAULT_SETTINGS);
  });

  it('explains what is wrong with a value', () => {
    expect(settingProblem('autoCloseDays', null)).toBeNull();
    expect(settingProblem('commentMaxLength', null)).toMatch(/cannot be empty/);
    expect(settingProblem('commentIntervalSeconds', 1.5)).toMatch(/whole number/);
    expect(settingProblem('threadsPerPage', 1000)).toMatch(/from 1 to 200/);
  });
});
