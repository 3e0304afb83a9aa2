// The initial risk map: all low, one high cluster of adjacent grids in the
// county seat with its neighbours at medium, and a couple of medium grids
// in the plan's second town (Guazhou: 柳园镇, the railway town, where imported cases would first show).
import type { GridStatus } from '../../server/schema/index.ts';
import type { Random } from './prng.ts';
import type { GridFeature } from './voronoi-grids.ts';

export function initialRisk(grids: GridFeature[], adjacency: Map<string, string[]>, random: Random, seatTown: string, secondTown: string): GridStatus[] {
  const townGrids = (town: string) => grids.filter((g) => g.properties.townName === town && g.properties.population > 50).map((g) => g.properties.id);
  const seat = townGrids(seatTown);
  const first = seat[Math.floor(random() * seat.length)]!;
  const high = new Set([first]);
  for (const n of adjacency.get(first)!) if (high.size < 3 && seat.includes(n)) high.add(n);
  const medium = new Set<string>();
  for (const h of high) for (const n of adjacency.get(h)!) if (!high.has(n)) medium.add(n);
  const second = townGrids(secondTown);
  for (let i = 0; i < 2 && second.length; i++) medium.add(second.splice(Math.floor(random() * second.length), 1)[0]!);
  return grids.map((g) => {
    const id = g.properties.id;
    return { id, risk: high.has(id) ? 'high' : medium.has(id) ? 'medium' : 'low', updatedAt: 0 };
  });
}
