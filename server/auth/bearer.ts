// The session token of a request's `Authorization: Bearer …` header, for the auth plugin and
// for whatever else keys on it (the ingest rate limit): its own module, so those need no plugin.

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
