// The one way the client talks HTTP to the server: JSON in and out, the bearer token
// attached, and every failure turned into an ApiError carrying the server's error body.
import type { ErrorBody } from '../../../server/schema/index.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: ErrorBody['issues'];
  /** Who holds what was asked for (a terminal bound to another vehicle: 409 with its id). */
  readonly owner: string | undefined;
  constructor(status: number, body: Partial<ErrorBody> & { owner?: string }) {
    super(body.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.error ?? (status === 0 ? 'network' : `http-${status}`);
    this.issues = body.issues;
    this.owner = typeof body.owner === 'string' ? body.owner : undefined;
  }
}

type Unauthorized = () => void;
let onUnauthorized: Unauthorized = () => {};
let currentToken: string | null = null;

/** The session registers its token and what to do when the server stops accepting it. */
export function configureApi(opts: { token: string | null; onUnauthorized?: Unauthorized }): void {
  currentToken = opts.token;
  if (opts.onUnauthorized) onUnauthorized = opts.onUnauthorized;
}

/** The bearer header of the session, for readers that fetch by themselves (the basemap's PMTiles). */
export function authorizationHeader(): Record<string, string> {
  return currentToken ? { authorization: `Bearer ${currentToken}` } : {};
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** false for sign-in itself, whose 401 means "wrong password", not "session over". */
  auth?: boolean;
  signal?: AbortSignal;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const auth = opts.auth ?? true;
  if (auth && currentToken) headers.authorization = `Bearer ${currentToken}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, { message: String(err) });
  }
  // 204 No Content (signing out) has no body to read.
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
  const body = (await res.json().catch(() => ({}))) as Partial<ErrorBody>;
  if (res.status === 401 && auth) onUnauthorized();
  throw new ApiError(res.status, body);
}

/**
 * Sends a file as the request body (its bytes, not JSON) and reads the JSON answer, through
 * XMLHttpRequest (fetch cannot tell upload progress): `onProgress` hears the share sent
 * (0–1), then 1 when the server has it all and is working on its answer.
 */
export function uploadWithProgress<T>(path: string, file: Blob, contentType: string, onProgress: (sent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', contentType);
    if (currentToken) xhr.setRequestHeader('authorization', `Bearer ${currentToken}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new ApiError(0, { message: 'network error' }));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = {};
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      if (xhr.status === 401) onUnauthorized();
      reject(new ApiError(xhr.status, body as Partial<ErrorBody>));
    };
    xhr.send(file);
  });
}

/**
 * Downloads a file the server sends only with the bearer token (a plain link cannot
 * carry it): fetched, then saved under the server's file name (Content-Disposition).
 */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await fetch(path, { headers: currentToken ? { authorization: `Bearer ${currentToken}` } : {} }).catch((err: unknown) => {
    throw new ApiError(0, { message: String(err) });
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as Partial<ErrorBody>;
    if (res.status === 401) onUnauthorized();
    throw new ApiError(res.status, body);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = encoded ? decodeURIComponent(encoded) : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
