// An import file on its way, as a tab keeps it: `start()` before uploadWithProgress,
// `sent` as its progress callback, `end()` after. UploadProgress.svelte shows it.
export class UploadState {
  share = $state<number | null>(null);
  checkingSince = $state<number | null>(null);
  start = (): void => {
    this.share = 0;
    this.checkingSince = null;
  };
  sent = (share: number): void => {
    this.share = share;
    if (share >= 1) this.checkingSince ??= Date.now();
  };
  end = (): void => {
    this.share = null;
    this.checkingSince = null;
  };
}
