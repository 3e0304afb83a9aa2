// Who the county is, read from its county.geojson: the name every title uses, its pinyin
// for the English UI, the map's frame and the day's time zone.
import { expect, it } from 'vitest';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { countyInfo, englishName, loadCounty } from '../../server/county/county.ts';

it('spells a county in Latin letters with its kind', () => {
  expect(englishName('瓜州县')).toBe('Guazhou County');
  expect(englishName('吴川市')).toBe('Wuchuan City');
  expect(englishName('三台县')).toBe('Santai County');
  expect(englishName('阿克塞哈萨克族自治县')).toBe('Akesai Autonomous County');
  expect(englishName('天河区')).toBe('Tianhe District');
});

it('reads the sample county as 瓜州县, seat at its centre, Beijing time', async () => {
  const county = await loadCounty('data/guazhou');
  expect(county.info).toEqual({
    code: '620922',
    name: '瓜州县',
    nameEn: 'Guazhou County',
    center: [95.782318, 40.520538],
    bounds: [94.767578, 39.857422, 96.978516, 41.803711],
    timeZone: 'Asia/Shanghai',
  });
});

it('falls back to the outline’s middle and Beijing time, and refuses an outline without a name', () => {
  const square = (props: Record<string, unknown>): FeatureCollection<Polygon | MultiPolygon> => ({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: props,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [100, 30],
              [102, 30],
              [102, 31],
              [100, 31],
              [100, 30],
            ],
          ],
        },
      },
    ],
  });
  expect(countyInfo(square({ name: '某县' }))).toMatchObject({ code: '', name: '某县', center: [101, 30.5], bounds: [100, 30, 102, 31], timeZone: 'Asia/Shanghai' });
  expect(() => countyInfo(square({ adcode: 1 }))).toThrow(/county.geojson feature 0 properties is invalid/);
});
