// What every map view starts with: the live connection, and the static data (county,
// grids, screen settings) loaded over HTTP, retried every 10 s until it comes — a wall
// nobody touches must recover by itself. Close it when the view goes.
import { LiveState } from './live.svelte.ts';
import { session } from './session.svelte.ts';
import { gridsUrl, loadBoardData, type BoardData, type CountyData, type GridCollection } from './board-data.ts';
import { api } from './api.ts';

export class ViewData {
  data = $state<BoardData | null>(null);
  loadError = $state(false);
  readonly live: LiveState;
  readonly #aborter = new AbortController();
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly view: string) {
    const token = session.token;
    if (!token) throw new Error(`${view} rendered without a session`);
    this.live = new LiveState({ token, onUnauthorized: () => session.signOut() });
    // A grid, road or town import was committed: the map redraws the new grids, or the county's roads and town labels (the ETag tells the cache).
    this.live.onStaticChanged((event) => void (event.layer === 'grids' ? this.reloadGrids(event.version) : this.reloadRoads()));
    void this.load();
  }

  reloadGrids = async (version: string): Promise<void> => {
    try {
      const grids = await api<GridCollection>(gridsUrl(version), { signal: this.#aborter.signal });
      if (this.data) this.data = { ...this.data, grids };
    } catch (err) {
      if (!this.#aborter.signal.aborted) console.warn(`${this.view}: reloading the grids failed`, err);
    }
  };

  reloadRoads = async (): Promise<void> => {
    try {
      const county = await api<CountyData>('/api/county', { signal: this.#aborter.signal });
      if (this.data) this.data = { ...this.data, county };
    } catch (err) {
      if (!this.#aborter.signal.aborted) console.warn(`${this.view}: reloading the county (roads, towns) failed`, err);
    }
  };

  /** The abort signal of this view's requests (aborted when it closes). */
  get signal(): AbortSignal {
    return this.#aborter.signal;
  }

  load = async (): Promise<void> => {
    clearTimeout(this.#retry);
    this.loadError = false;
    try {
      this.data = await loadBoardData(this.#aborter.signal);
    } catch (err) {
      if (this.#aborter.signal.aborted) return;
      console.warn(`${this.view} data failed to load; retrying in 10 s`, err);
      this.loadError = true;
      this.#retry = setTimeout(this.load, 10_000);
    }
  };

  close(): void {
    this.#aborter.abort();
    clearTimeout(this.#retry);
    this.live.close();
    delete window.__board;
  }
}
