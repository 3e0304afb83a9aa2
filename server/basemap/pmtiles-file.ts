// The PMTiles file a board serves: checked to be one (magic and version) and named by an
// entity tag of its content (the same on every server process and machine that holds the same
// file). A file replaced under a running board is seen at the next request (size or time changed)
// and tagged again.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';

export interface PmtilesFileState {
  size: number;
  etag: string;
}

async function contentTag(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `"${hash.digest('base64url').slice(0, 27)}"`;
}

async function checkMagic(path: string): Promise<void> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await file.read(head, 0, 8, 0);
    if (bytesRead < 8 || head.subarray(0, 7).toString('latin1') !== 'PMTiles' || head[7] !== 3) {
      throw new Error(`${path} is not a PMTiles version 3 file`);
    }
  } finally {
    await file.close();
  }
}

export class PmtilesFile {
  private known: { size: number; mtimeMs: number; ino: number; state: Promise<PmtilesFileState> } | null = null;
  constructor(readonly path: string) {}

  /** The file's size and tag now (hashed again only when the file changed). */
  async current(): Promise<PmtilesFileState> {
    const s = await stat(this.path);
    const k = this.known;
    if (k && k.size === s.size && k.mtimeMs === s.mtimeMs && k.ino === s.ino) return k.state;
    const state = checkMagic(this.path).then(async () => ({ size: s.size, etag: await contentTag(this.path) }));
    this.known = { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino, state };
    state.catch(() => {
      if (this.known?.state === state) this.known = null;
    });
    return state;
  }

  /** The bytes start..end (inclusive), streamed. */
  stream(start: number, end: number) {
    return createReadStream(this.path, { start, end });
  }
}
