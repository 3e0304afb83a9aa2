// One import as a tab of /imports holds it: upload (with its progress), the report,
// then commit or cancel, each a step that keeps the tab busy and says how it ended.
// Sites (`/api/imports`) and grids (`/api/imports/grids`) differ only in their base path,
// their query and how a commit is told.
import { api, ApiError, uploadWithProgress } from '../../lib/api.ts';
import { dict, fill } from '../../lib/i18n.ts';
import { UploadState } from './upload-state.svelte.ts';

export interface ImportMessage {
  kind: 'ok' | 'error';
  text: string;
}

export class ImportSession<R extends { id: string; status: string }> {
  report = $state<R | null>(null);
  busy = $state(false);
  message = $state<ImportMessage | null>(null);
  readonly upload = new UploadState();
  readonly pending = $derived(this.report?.status === 'pending');

  constructor(private readonly base: string) {}

  /** Runs one step; a failure becomes the tab's message, nothing else changes. */
  async run(step: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.message = null;
    try {
      await step();
    } catch (err) {
      this.message = { kind: 'error', text: fill(dict.imports.failed, { message: err instanceof ApiError ? err.message : String(err) }) };
    } finally {
      this.busy = false;
      this.upload.end();
    }
  }

  /** Uploads the file for a report. */
  check = (file: File, type: string, query: Record<string, string>): Promise<void> =>
    this.run(async () => {
      const params = Object.entries({ ...query, fileName: file.name.slice(0, 200) }).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
      this.upload.start();
      this.report = (await uploadWithProgress<{ data: R }>(`${this.base}?${params.join('&')}`, file, type, this.upload.sent)).data;
    });

  /** Commits the report's import; `told` words what was committed. */
  commit = (query: string, told: (report: R) => string | null): Promise<void> =>
    this.run(async () => {
      if (!this.report) return;
      const report = (await api<{ data: R }>(`${this.base}/${this.report.id}/commit?${query}`, { method: 'POST' })).data;
      this.report = report;
      const text = told(report);
      if (text) this.message = { kind: 'ok', text };
    });

  cancel = (): Promise<void> =>
    this.run(async () => {
      if (!this.report) return;
      this.report = (await api<{ data: R }>(`${this.base}/${this.report.id}`, { method: 'DELETE' })).data;
      this.message = { kind: 'ok', text: dict.imports.cancelled };
    });
}
