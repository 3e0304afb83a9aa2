// tiny-osmpbf ships no types: the one call the road import makes (each element to the handler).
declare module 'tiny-osmpbf' {
  export default function tinyOsmPbf(input: ArrayBuffer | Uint8Array, handler: (element: unknown) => void): unknown;
}
