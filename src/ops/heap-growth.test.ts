import { describe, expect, it } from 'vitest';
import { heapGrowingFlag } from './heap-growth.ts';

describe('heapGrowingFlag', () => {
  it('gives V8 the configured growth for the serving process', () => {
    expect(heapGrowingFlag(30, undefined, [])).toBe('--heap-growing-percent=30');
    expect(heapGrowingFlag(75, '--max-semi-space-size=4', ['--enable-source-maps'])).toBe('--heap-growing-percent=75');
  });

  it('leaves V8 its own factor at 0', () => {
    expect(heapGrowingFlag(0, undefined, [])).toBeNull();
  });

  it('never overrides a growth the operator gave node, in either spelling', () => {
    expect(heapGrowingFlag(30, '--heap-growing-percent=80', [])).toBeNull();
    expect(heapGrowingFlag(30, '--max-old-space-size=512 --heap_growing_percent=10', [])).toBeNull();
    expect(heapGrowingFlag(30, undefined, ['--heap-growing-percent=50'])).toBeNull();
  });
});
