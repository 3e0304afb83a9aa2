// The OsmAnd protocol, as Traccar's client apps speak it, so that a phone can be a
// tracker: an HTTP request per position, either query or form parameters
// (id|deviceid, lat, lon, timestamp in Unix seconds or ISO, speed in knots, bearing,
// valid) or, from Traccar Client 9, JSON ({device_id, location: {timestamp,
// coords: {latitude, longitude, speed in m/s, heading}}}). As Traccar accepts them too:
// `location=lat,lon` in place of lat and lon, a heading of -1 (or none) as unknown, and a
// request with no position at all (a cell or Wi-Fi report) as a report of nothing, which
// is answered 200 so the app does not resend it every 30 s forever. Pure: parsing only.

export interface OsmandFix {
  deviceId: string;
  lng: number;
  lat: number;
  at: number;
  /** km/h. */
  speed: number;
  /** Degrees, 0–359; null when the device does not know (-1, or none sent). */
  heading: number | null;
  located: boolean;
}

/** A request from a known kind of client that carries no position (cell or Wi-Fi only). */
export interface OsmandNoPosition {
  deviceId: string;
  noPosition: true;
}

/** A heading in degrees, or null for the "unknown" devices send (-1, or nothing). */
function heading(v: unknown): number | null {
  const n = num(v);
  if (n === undefined || n < 0) return null;
  return n % 360;
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** A scalar as text; an object or array (a broken or hostile client) is none (String() of it may throw). */
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

function time(v: unknown, now: number): number | undefined {
  if (v === undefined || v === null || v === '') return now;
  const n = num(v);
  if (n !== undefined) return n > 1e12 ? n : n * 1000; // seconds, or already milliseconds
  const parsed = Date.parse(text(v) ?? '');
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** The fix in a request, a request without one, or why not (a message for the 400). */
export function parseOsmand(query: Record<string, unknown>, body: unknown, now: number): OsmandFix | OsmandNoPosition | { error: string } {
  // Traccar Client 9's JSON has a location object; a form's `location` is the text "lat,lon".
  const hasLocationObject = !!body && typeof body === 'object' && 'location' in body && typeof (body as { location: unknown }).location === 'object';
  const json = hasLocationObject ? (body as { device_id?: unknown; location?: Record<string, unknown> }) : null;
  if (json) {
    const loc = json.location ?? {};
    const coords = (loc.coords ?? {}) as Record<string, unknown>;
    const lat = num(coords.latitude);
    const lng = num(coords.longitude);
    const at = time(loc.timestamp, now);
    const deviceId = text(json.device_id) ?? '';
    if (!deviceId) return { error: 'device_id missing' };
    if (coords.latitude === undefined && coords.longitude === undefined) return { deviceId, noPosition: true };
    if (lat === undefined || lng === undefined) return { error: 'coords.latitude and coords.longitude needed' };
    if (at === undefined) return { error: 'timestamp not understood' };
    const speed = num(coords.speed);
    return { deviceId, lat, lng, at, speed: speed !== undefined && speed > 0 ? speed * 3.6 : 0, heading: heading(coords.heading), located: true };
  }
  const p = { ...(body && typeof body === 'object' ? (body as Record<string, unknown>) : {}), ...query };
  const deviceId = text(p.id ?? p.deviceid) ?? '';
  if (!deviceId) return { error: 'id missing' };
  // `location=lat,lon` (Traccar's form) stands for lat and lon.
  const [locLat, locLon] = typeof p.location === 'string' ? p.location.split(',') : [];
  const rawLat = p.lat ?? locLat;
  const rawLon = p.lon ?? locLon;
  if (rawLat === undefined && rawLon === undefined) return { deviceId, noPosition: true }; // empty values are malformed, not absent
  const lat = num(rawLat);
  const lng = num(rawLon);
  if (lat === undefined || lng === undefined) return { error: 'lat and lon needed' };
  const at = time(p.timestamp, now);
  if (at === undefined) return { error: 'timestamp not understood' };
  const knots = num(p.speed);
  const valid = p.valid === undefined ? true : !['false', '0', undefined].includes(text(p.valid));
  return { deviceId, lat, lng, at, speed: knots !== undefined && knots > 0 ? knots * 1.852 : 0, heading: heading(p.bearing ?? p.heading), located: valid };
}
