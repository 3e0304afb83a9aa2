// Where a grid import's preview map should fly (GridImport.svelte sets it; GridPreviewMap and
// PreviewLayers follow it): its own module, so the two components do not import each other.

/** A feature by its number, or a place (a gap); `n` counts the clicks. */
export type PreviewFocus = ({ feature: number } | { at: [number, number] }) & { n: number };
