// The base style, built in code: nothing but a background and a glyphs URL on our own
// origin. Chinese labels are drawn from the device's fonts (localIdeographFontFamily),
// so the server answers /glyphs with empty ranges and no request ever leaves the origin.
import type { StyleSpecification } from 'maplibre-gl';

export const labelFont = ['Noto Sans Regular'];
export const ideographFonts = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";

export function baseStyle(origin: string, theme: 'light' | 'dark' = 'light'): StyleSpecification {
  return {
    version: 8,
    name: 'guazhou-board',
    glyphs: `${origin}/glyphs/{fontstack}/{range}.pbf`,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': theme === 'dark' ? '#0b1622' : '#dfe6ec' } }],
  };
}
