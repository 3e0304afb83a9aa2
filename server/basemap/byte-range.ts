// One HTTP byte range (RFC 9110 §14) against a file of known size: what to answer a Range
// header with. Pure. One range per request, each at most `maxLength` bytes: a PMTiles reader
// asks for a header, a directory or a tile at a time, never for more.

export type RangeAnswer = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable'; reason: string };

export function rangeOf(header: string | undefined, size: number, maxLength: number): RangeAnswer {
  if (header === undefined) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d{0,16})\s*-\s*(\d{0,16})\s*$/i.exec(header);
  if (!m) return { kind: 'unsatisfiable', reason: header.includes(',') ? 'one range per request' : 'not a byte range' };
  const [, first = '', last = ''] = m;
  let start: number;
  let end: number;
  if (first === '' && last === '') return { kind: 'unsatisfiable', reason: 'not a byte range' };
  if (first === '') {
    // The last N bytes.
    const n = Number(last);
    if (n === 0) return { kind: 'unsatisfiable', reason: 'an empty range' };
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return { kind: 'unsatisfiable', reason: 'the range ends before it starts' };
  }
  if (start >= size || size === 0) return { kind: 'unsatisfiable', reason: 'the range starts past the end of the file' };
  if (end - start + 1 > maxLength) return { kind: 'unsatisfiable', reason: `at most ${maxLength} bytes per request` };
  return { kind: 'partial', start, end };
}

/** Whether an If-Range (or If-None-Match) value names this entity tag (strong comparison: no W/). */
export function sameTag(value: string | undefined, etag: string): boolean {
  return value !== undefined && value.split(',').some((v) => v.trim() === etag || v.trim() === '*');
}
