// The settings whose text needs more than zod to read: proxies, host:port lists, hash tags.
import { isIP } from 'node:net';

/**
 * TRUST_PROXY as Fastify's trustProxy takes it: false (none), a number of hops, or a list of
 * addresses/CIDRs (and proxy-addr's names loopback, linklocal, uniquelocal); null when unreadable.
 */
export function trustProxyOf(value: string): false | number | string[] | null {
  if (['', 'false', '0', 'none', 'off', 'no'].includes(value.toLowerCase())) return false;
  if (/^\d+$/.test(value)) return Number(value) <= 100 ? Number(value) : null;
  const entries = value.split(',').map((e) => e.trim());
  const ok = entries.every((entry) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
    const [address = '', bits, ...more] = entry.split('/');
    if (more.length > 0) return false;
    const family = isIP(address);
    if (family === 0) return false;
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  });
  return ok && entries.length > 0 ? entries : null;
}

/** REDIS_SENTINELS or REDIS_CLUSTER as ioredis takes them; null when unreadable. */
export function hostPortsOf(value: string): { host: string; port: number }[] | null {
  const entries = value.split(',').map((e) => e.trim());
  if (entries.length === 0 || entries.length > 16) return null;
  const out: { host: string; port: number }[] = [];
  for (const entry of entries) {
    // host:port, or [v6]:port
    const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]{1,253})):(\d{1,5})$/.exec(entry);
    const host = m?.[1] ?? m?.[2];
    const port = Number(m?.[3]);
    if (!host || !(port >= 1 && port <= 65535) || (m?.[1] && isIP(m[1]) !== 6)) return null;
    out.push({ host, port });
  }
  return out;
}

/**
 * The hash tag of a key prefix as Redis Cluster reads it (the text between the first { and the
 * next }, if not empty): every key under the prefix hashes to its slot. Null when it has none.
 */
export function hashTagOf(prefix: string): string | null {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1 ? prefix.slice(open + 1, close) : null;
}
