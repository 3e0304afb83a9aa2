// The road vertex nearest a point: a flatbush index over the vertices (longitude scaled by the
// cosine of the mean latitude, so nearest in the index is nearest in metres), built once and
// queried for every unit and target; the few nearest in the index, then the nearest in metres.
import Flatbush from 'flatbush';
import { distanceMeters } from '../geo/distance.ts';

export class VertexIndex {
  private readonly index: Flatbush;
  private readonly kx: number;
  private readonly lngs: Float64Array;
  private readonly lats: Float64Array;

  constructor(vertices: readonly (readonly [number, number])[]) {
    const n = vertices.length;
    if (n === 0) throw new Error('VertexIndex: the road network has no vertices');
    this.lngs = new Float64Array(n);
    this.lats = new Float64Array(n);
    let latSum = 0;
    for (let v = 0; v < n; v++) {
      this.lngs[v] = vertices[v]![0];
      this.lats[v] = vertices[v]![1];
      latSum += vertices[v]![1];
    }
    this.kx = Math.cos(((latSum / n) * Math.PI) / 180);
    this.index = new Flatbush(n);
    for (let v = 0; v < n; v++) this.index.add(this.lngs[v]! * this.kx, this.lats[v]!);
    this.index.finish();
  }

  /** The nearest vertex and how far it is in metres (ties to the lower vertex, as a linear scan picks). */
  nearest(lng: number, lat: number): { vertex: number; meters: number } {
    let vertex = 0;
    let meters = Infinity;
    for (const v of this.index.neighbors(lng * this.kx, lat, 4)) {
      const d = distanceMeters(lng, lat, this.lngs[v]!, this.lats[v]!);
      if (d < meters || (d === meters && v < vertex)) {
        meters = d;
        vertex = v;
      }
    }
    return { vertex, meters };
  }
}
