// GeoJSON (RFC 7946) as the API sends it: the county's outline and roads, the grids, the
// exported layers and the imports' previews. Loose where the file is (any properties), so
// that it describes what is sent without judging it. No Node imports.
import { z } from 'zod';

const Position = z.array(z.number()).min(2);
const BBox = z.array(z.number()).optional();

export const GeoPoint = z.object({ type: z.literal('Point'), coordinates: Position, bbox: BBox });
export const GeoMultiPoint = z.object({ type: z.literal('MultiPoint'), coordinates: z.array(Position), bbox: BBox });
export const GeoLineString = z.object({ type: z.literal('LineString'), coordinates: z.array(Position), bbox: BBox });
export const GeoMultiLineString = z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(Position)), bbox: BBox });
export const GeoPolygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)), bbox: BBox });
export const GeoMultiPolygon = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))), bbox: BBox });
/** An area: a polygon or several. */
export const GeoArea = z.union([GeoPolygon, GeoMultiPolygon]);
/** Any geometry but a collection of them (the board never sends one). */
export const GeoGeometry = z.union([GeoPoint, GeoMultiPoint, GeoLineString, GeoMultiLineString, GeoPolygon, GeoMultiPolygon]);
/** A feature's properties as GeoJSON allows them: any object, or null. */
export const GeoProperties = z.record(z.string(), z.unknown()).nullable();

export const GeoFeature = <G extends z.ZodType, P extends z.ZodType>(geometry: G, properties: P) =>
  z.object({ type: z.literal('Feature'), id: z.union([z.string(), z.number()]).optional(), geometry, properties, bbox: BBox });
export const GeoFeatureCollection = <F extends z.ZodType>(feature: F) => z.object({ type: z.literal('FeatureCollection'), features: z.array(feature), bbox: BBox });

/** Any feature collection (an export, an import's preview). */
export const AnyFeatureCollection = GeoFeatureCollection(GeoFeature(GeoGeometry.nullable(), GeoProperties));
