// The OsmAnd protocol, as Traccar's client apps speak it, so that a phone can be a
// tracker: an HTTP request per position, either query or form parameters
// (id|deviceid, lat, lon, timestamp in Unix seconds or ISO, speed in knots, bearing,
// valid) or, from Traccar Client 9, JSON ({device_id, location: {timestamp,
// coords: {latitude, longitude, speed in m/s, heading}}}). Pure: parsing only.

export interface OsmandFix {
  deviceId: string;
  lng: number;
  lat: number;
  at: number;
  /** km/h. */
  speed: number;
  heading: number;
  located: boolean;
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** A scalar as text; an object or array (a broken or hostile client) is none (String() of it may throw). */
const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

function time(v: unknown, now: number): number | undefined {
  if (v === undefined || v === null || v === '') return now;
  const n = num(v);
  if (n !== undefined) return n > 1e12 ? n : n * 1000; // seconds, or already milliseconds
  const parsed = Date.parse(text(v) ?? '');
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** The fix in a request, or why not (a message for the 400). */
export function parseOsmand(query: Record<string, unknown>, body: unknown, now: number): OsmandFix | { error: string } {
  const json = body && typeof body === 'object' && 'location' in body ? (body as { device_id?: unknown; location?: Record<string, unknown> }) : null;
  if (json) {
    const loc = json.location ?? {};
    const coords = (loc.coords ?? {}) as Record<string, unknown>;
    const lat = num(coords.latitude);
    const lng = num(coords.longitude);
    const at = time(loc.timestamp, now);
    const deviceId = text(json.device_id) ?? '';
    if (!deviceId) return { error: 'device_id missing' };
    if (lat === undefined || lng === undefined) return { error: 'coords.latitude and coords.longitude needed' };
    if (at === undefined) return { error: 'timestamp not understood' };
    const speed = num(coords.speed);
    return { deviceId, lat, lng, at, speed: speed !== undefined && speed > 0 ? speed * 3.6 : 0, heading: ((num(coords.heading) ?? 0) % 360 + 360) % 360, located: true };
  }
  const p = { ...(body && typeof body === 'object' ? (body as Record<string, unknown>) : {}), ...query };
  const deviceId = text(p.id ?? p.deviceid) ?? '';
  if (!deviceId) return { error: 'id missing' };
  const lat = num(p.lat);
  const lng = num(p.lon);
  if (lat === undefined || lng === undefined) return { error: 'lat and lon needed' };
  const at = time(p.timestamp, now);
  if (at === undefined) return { error: 'timestamp not understood' };
  const knots = num(p.speed);
  const valid = p.valid === undefined ? true : !['false', '0', undefined].includes(text(p.valid));
  return { deviceId, lat, lng, at, speed: knots !== undefined && knots > 0 ? knots * 1.852 : 0, heading: (((num(p.bearing) ?? 0) % 360) + 360) % 360, located: valid };
}
