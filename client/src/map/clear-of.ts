// The map's camera padding that keeps what it fits (the county) clear of the panels
// floating over it: a panel in the left half pushes the left edge in past it, one in the
// right half the right edge. Pure over rectangles, so it is tested without a browser.

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Padding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * Padding for a map in `container` with `overlays` over it (all in the same coordinates),
 * `margin` between the fitted area and anything, `base` on sides no panel touches. When the
 * panels leave less than `minWidth` of map, each side is scaled back so that much remains.
 */
export function paddingClearOf(container: Rect, overlays: Rect[], margin = 12, base = 24, minWidth = 160): Padding {
  const width = container.right - container.left;
  const middle = container.left + width / 2;
  const pad: Padding = { top: base, right: base, bottom: base, left: base };
  for (const o of overlays) {
    if (o.right <= o.left || o.bottom <= o.top) continue; // hidden
    if (o.right <= container.left || o.left >= container.right || o.bottom <= container.top || o.top >= container.bottom) continue;
    if ((o.left + o.right) / 2 < middle) pad.left = Math.max(pad.left, o.right - container.left + margin);
    else pad.right = Math.max(pad.right, container.right - o.left + margin);
  }
  const room = width - pad.left - pad.right;
  if (room < minWidth) {
    const k = Math.max(0, width - minWidth) / (pad.left + pad.right);
    pad.left = Math.floor(pad.left * k);
    pad.right = Math.floor(pad.right * k);
  }
  return pad;
}

/** Whether two rectangles share any area. */
export const overlaps = (a: Rect, b: Rect): boolean => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
