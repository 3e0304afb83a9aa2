// Popup content as DOM built with textContent: names come from imported data and are
// never parsed as HTML.

export type Row = readonly [label: string, value: string | number];

export function card(title: string, subtitle: string | null, rows: readonly Row[]): HTMLElement {
  const root = document.createElement('div');
  const h = document.createElement('h3');
  h.textContent = title;
  root.append(h);
  if (subtitle) {
    const p = document.createElement('p');
    p.style.margin = '0 0 6px';
    p.style.color = '#5b6b7c';
    p.textContent = subtitle;
    root.append(p);
  }
  const dl = document.createElement('dl');
  for (const [label, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    dl.append(dt, dd);
  }
  root.append(dl);
  return root;
}

/** The `id` property every layer's features carry. */
export function featureId(feature: { properties: Record<string, unknown> | null }): string {
  const id = feature.properties?.id;
  return typeof id === 'string' ? id : '';
}

export const percent = (part: number, whole: number): string => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—');
