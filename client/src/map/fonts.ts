// The map's text: a font stack whose glyphs come from the origin's /glyphs (empty ranges), and
// the device's own Chinese fonts, which draw every ideograph (localIdeographFontFamily).
export const labelFont = ['Noto Sans Regular'];
export const ideographFonts = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";

export type Theme = 'light' | 'dark';
