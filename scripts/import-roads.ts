// `npm run import:roads -- [--crs gcj02] [--margin-km 20] FILE.osm.pbf|FILE.osm|FILE.geojson|FILE.zip
// [--commit [--confirm-warnings]]`: the same reading and report as POST /api/imports/roads,
// from the command line. With REDIS_URL it checks against the roads the board routes on and,
// with --commit, commits the set in one step (every server process on that Redis switches its
// router and tells its screens to reload the roads); without it, it prints the report only.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCounty } from '../server/county/county.ts';
import { RoadLayers, storedOrFileRoadLayer } from '../server/county/road-layer.ts';
import { ImportCrs, type RoadImportReport } from '../server/schema/index.ts';
import { RoadImports } from '../server/services/road-imports.ts';
import { importStore, runCli } from './lib/import-cli.ts';

const USAGE = 'usage: npm run import:roads -- [--crs wgs84|gcj02|bd09] [--margin-km KM] FILE.osm.pbf|FILE.osm|FILE.geojson|FILE.zip [--commit [--confirm-warnings]]';
const REASONS: Record<string, string> = {
  'not-a-road': '不是道路',
  'not-drivable': '机动车不能通行',
  'no-access': '禁止通行',
  'bad-geometry': '几何无效',
  'outside-area': '在范围之外',
};
const km = (n: number) => `${n.toLocaleString('zh-CN', { maximumFractionDigits: 1 })} km`;

function printReport(r: RoadImportReport): void {
  const s = r.summary;
  console.log(`道路导入 ${r.id}：${r.format ?? '未知格式'}，坐标系 ${r.crs}，文件 ${r.fileName ?? ''}`);
  console.log(`范围：县界外包框外扩 ${r.area.marginKm} km（${r.area.bbox.join(', ')}）`);
  for (const e of r.fileErrors) console.log(`文件错误：${e}`);
  console.log(`读取 ${s.read} 条，保留 ${s.kept} 条，舍弃 ${s.dropped} 条`);
  for (const d of r.dropped) console.log(`  舍弃（${REASONS[d.reason] ?? d.reason}）${d.count} 条，如第 ${d.examples.join('、')} 条`);
  console.log(`道路总长 ${km(s.km)}（单行 ${km(s.oneWayKm)}），${s.vertices} 个节点，${s.edges} 条有向边`);
  for (const c of r.classes) console.log(`  ${c.class}：${km(c.km)}，${c.features} 条，${c.kmh} km/h`);
  const cc = r.components;
  console.log(`连通部分 ${cc.count} 个：最大的 ${km(cc.largestKm)}，占 ${(cc.largestShare * 100).toFixed(1)}%`);
  for (const i of cc.islands) console.log(`  孤立部分 ${i.rank}：${km(i.km)}，${i.vertices} 个节点，位于 ${i.at.map((x) => x.toFixed(5)).join(', ')}`);
  for (const w of r.warnings) console.log(`警告：${w}`);
  console.log(`读取 ${r.timings.readMs} ms，检查 ${r.timings.checkMs} ms`);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        crs: { type: 'string', default: 'wgs84' },
        'margin-km': { type: 'string' },
        commit: { type: 'boolean', default: false },
        'confirm-warnings': { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const crs = ImportCrs.safeParse(values.crs);
  const margin = values['margin-km'] === undefined ? undefined : Number(values['margin-km']);
  const file = positionals[0];
  if (!crs.success || !file || positionals.length > 1 || (margin !== undefined && !(margin >= 0 && margin <= 300))) {
    console.error(USAGE);
    return 2;
  }
  const opened = importStore(values.commit, '未设置 REDIS_URL：与县里的道路文件比对，只出报告 (report only)');
  if (!opened) return 2;
  const { config, store } = opened;
  try {
    const county = await loadCounty(config.dataDir);
    const layers = new RoadLayers(await storedOrFileRoadLayer(store, county, config.roads.speeds));
    const imports = new RoadImports(store, layers, () => Date.now(), { outline: county.outline.features[0]!, speeds: config.roads.speeds, marginKm: config.roads.marginKm });
    const uploaded = await imports.upload(await readFile(file), { crs: crs.data, fileName: basename(file), marginKm: margin }, 'cli');
    if (!uploaded.ok) {
      console.error(uploaded.message);
      return 1;
    }
    const report = uploaded.value;
    printReport(report);
    const hasErrors = report.fileErrors.length > 0 || report.summary.kept === 0;
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
    console.log(`已提交（版本 ${committed.value.committed!.version}）：各服务进程改用新路网`);
    return 0;
  } finally {
    await store.close();
  }
}

runCli(main);
