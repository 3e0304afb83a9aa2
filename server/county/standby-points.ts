// Where a unit may be moved up to stand by: the county's stations (where the sample units
// are based; each at its first unit's place, on the road) and the points the commander
// configures in DATA_DIR/standby-points.json ([{ id, name, location: [lng, lat] }]), which
// win over a station of the same name.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { StandbyPoint } from '../domain/coverage.ts';
import { StandbyPointSchema, type Ambulance } from '../schema/index.ts';

export function standbyPoints(seedUnits: readonly Ambulance[], dataDir: string): StandbyPoint[] {
  const configured = join(dataDir, 'standby-points.json');
  const points: StandbyPoint[] = existsSync(configured) ? z.array(StandbyPointSchema).parse(JSON.parse(readFileSync(configured, 'utf8'))) : [];
  const names = new Set(points.map((p) => p.name));
  let n = 0;
  for (const unit of seedUnits) {
    if (!unit.fix || names.has(unit.station)) continue;
    names.add(unit.station);
    points.push({ id: `ST-${String(++n).padStart(2, '0')}`, name: unit.station, location: [unit.fix.lng, unit.fix.lat] });
  }
  return points;
}
