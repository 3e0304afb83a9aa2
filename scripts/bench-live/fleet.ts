// Where bench vehicle i is at time t: a spot spread over the county, circling about
// a kilometre around it once an hour (about 60 km/h), so that the server's fix
// filter takes every report. The orchestrator places the fleet there first.
export function positionAt(i: number, t: number): { lng: number; lat: number } {
  const angle = t / 600_000 + i;
  return {
    lng: 95.3 + ((i * 7919) % 1000) / 1000 + Math.sin(angle) * 0.01,
    lat: 40.3 + ((i * 104729) % 1000) / 2500 + Math.cos(angle) * 0.01,
  };
}
