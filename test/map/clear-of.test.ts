// The camera padding that keeps the county clear of the floating panels, over rectangles.
import { describe, expect, it } from 'vitest';
import { overlaps, paddingClearOf } from '../../client/src/map/clear-of.ts';

const box = (left: number, top: number, width: number, height: number) => ({ left, top, right: left + width, bottom: top + height });
const MAP = box(0, 50, 1366, 718); // the board under its header at 1366×768

describe('paddingClearOf', () => {
  it('pads the base on every side when nothing floats over the map', () => {
    expect(paddingClearOf(MAP, [])).toEqual({ top: 24, right: 24, bottom: 24, left: 24 });
  });

  it('pushes the left edge past the panels in the left half and the right edge past those in the right half', () => {
    const legend = box(12, 62, 150, 300);
    const round = box(10, 400, 400, 330);
    const alerts = box(1366 - 10 - 380, 60, 380, 600);
    expect(paddingClearOf(MAP, [legend, round, alerts])).toEqual({ top: 24, bottom: 24, left: 410 + 12, right: 390 + 12 });
  });

  it('ignores hidden panels and panels outside the map', () => {
    expect(paddingClearOf(MAP, [box(0, 0, 0, 0), box(2000, 100, 100, 100), box(10, 0, 100, 40)])).toEqual({ top: 24, right: 24, bottom: 24, left: 24 });
  });

  it('leaves at least minWidth of map when the panels would take it all', () => {
    const pad = paddingClearOf(box(0, 0, 600, 400), [box(0, 0, 290, 100), box(310, 0, 290, 100)], 12, 24, 160);
    expect(600 - pad.left - pad.right).toBeGreaterThanOrEqual(160);
    expect(pad.left).toBeGreaterThan(0);
  });
});

describe('overlaps', () => {
  it.each([
    [box(0, 0, 10, 10), box(5, 5, 10, 10), true],
    [box(0, 0, 10, 10), box(10, 0, 10, 10), false], // touching edges share no area
    [box(0, 0, 10, 10), box(0, 20, 10, 10), false],
  ])('%j %j → %s', (a, b, expected) => expect(overlaps(a, b)).toBe(expected));
});
