// `npm run import:grids -- --crs gcj02 grids.zip [--commit [--confirm-warnings]]`: the same
// reading and validation as POST /api/imports/grids (GeoJSON, zipped Shapefile or KML),
// from the command line. With REDIS_URL it compares with the grids the board serves and,
// with --commit, commits the set in one step (every server process on that Redis switches
// and tells its screens to reload the grids); without it, it prints the report only.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCounty } from '../server/county/county.ts';
import { GridLayers, storedOrFileLayer } from '../server/county/grid-layer.ts';
import { ImportCrs, type GridImportReport } from '../server/schema/index.ts';
import { GridImports } from '../server/services/grid-imports.ts';
import { importStore, runCli } from './lib/import-cli.ts';

const USAGE = 'usage: npm run import:grids -- [--crs wgs84|gcj02|bd09] FILE.geojson|FILE.zip|FILE.kml [--commit [--confirm-warnings]]';
const m2 = (n: number) => `${Math.round(n).toLocaleString('zh-CN')} m²`;

function printReport(r: GridImportReport): void {
  const s = r.summary;
  console.log(`网格导入 ${r.id}：${r.format ?? '未知格式'}，坐标系 ${r.crs}，文件 ${r.fileName ?? ''}`);
  for (const f of r.fields) console.log(`  属性「${f.name}」→ ${f.field ?? '（未使用）'}`);
  for (const e of r.fileErrors) console.log(`文件错误：${e}`);
  for (const e of r.errors) console.log(`第 ${e.feature} 个要素 错误：${e.message}`);
  for (const w of r.warnings) console.log(`第 ${w.feature} 个要素 警告：${w.message}`);
  console.log(
    `重叠 ${r.overlaps.length} 处，共 ${m2(s.overlapM2)}；缝隙 ${r.gaps.pieces} 处，共 ${m2(r.gaps.totalM2)}${r.gaps.largest[0] ? `（最大 ${m2(r.gaps.largest[0].areaM2)}，位于 ${r.gaps.largest[0].at.map((x) => x.toFixed(5)).join(', ')}）` : ''}`,
  );
  console.log(
    `共 ${s.features} 个要素：正确 ${s.good}，有错误 ${s.withErrors}，有警告 ${s.withWarnings}；新增 ${s.added}，删除 ${s.removed}，保留 ${s.kept}；人口 ${s.population}`,
  );
  console.log(`读取 ${r.timings.readMs} ms，校验 ${r.timings.checkMs} ms`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { crs: { type: 'string', default: 'wgs84' }, commit: { type: 'boolean', default: false }, 'confirm-warnings': { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const crs = ImportCrs.safeParse(values.crs);
  const file = positionals[0];
  if (!crs.success || !file || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const opened = importStore(values.commit, '未设置 REDIS_URL：与县里的网格文件比对，只出报告 (report only)');
  if (!opened) return 2;
  const { config, store } = opened;
  try {
    const county = await loadCounty(config.dataDir);
    const layers = new GridLayers(await storedOrFileLayer(store, county));
    const imports = new GridImports(store, layers, () => Date.now(), { outline: county.outline.features[0]!, towns: county.towns });
    const uploaded = await imports.upload(await readFile(file), { crs: crs.data, fileName: basename(file) }, 'cli');
    if (!uploaded.ok) {
      console.error(uploaded.message);
      return 1;
    }
    const report = uploaded.value;
    printReport(report);
    const hasErrors = report.fileErrors.length > 0 || report.errors.length > 0;
    if (!values.commit) {
      if (config.redisUrl) await imports.cancel(report.id);
      return hasErrors ? 1 : 0;
    }
    const committed = await imports.commit(report.id, values['confirm-warnings'], 'cli');
    if (!committed.ok) {
      console.error(`未提交：${committed.message}`);
      if (config.redisUrl) await imports.cancel(report.id);
      return 1;
    }
    const c = committed.value.committed!;
    console.log(`已提交（版本 ${c.version}${c.seq ? `，seq ${c.seq}` : ''}）：新增网格 ${c.added}，删除 ${c.removed}，重新归属 ${c.restamped} 个对象`);
    return 0;
  } finally {
    await store.close();
  }
}

runCli(main);
