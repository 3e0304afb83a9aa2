// `npm run import:towns -- [--crs gcj02] towns.csv|towns.xlsx [--commit [--skip-invalid] [--confirm-warnings]]`:
// the same reading and check as POST /api/imports/towns (the county's towns and villages with
// codes, centres and populations), from the command line. With REDIS_URL it checks against the
// records and grids the board serves and, with --commit, commits the set in one step (every
// server process on that Redis switches its gazetteer and labels and tells its screens);
// without it, it prints the report only.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCounty } from '../server/county/county.ts';
import { GridLayers, storedOrFileLayer } from '../server/county/grid-layer.ts';
import { storedOrFileTownLayer, TownLayers } from '../server/county/town-layer.ts';
import { ImportCrs, type TownImportReport } from '../server/schema/index.ts';
import { TownImports } from '../server/services/town-imports.ts';
import { importStore, runCli } from './lib/import-cli.ts';

const USAGE = 'usage: npm run import:towns -- [--crs wgs84|gcj02|bd09] FILE.csv|FILE.xlsx [--commit [--skip-invalid] [--confirm-warnings]]';
const REASONS: Record<string, string> = {
  'missing-field': '缺少必填项',
  'bad-field': '内容有误',
  'bad-code': '代码格式有误',
  'foreign-code': '不属于本县',
  'duplicate-code': '代码重复',
  'unknown-town': '所属乡镇不存在',
  'bad-centre': '中心坐标有误',
  'no-centre': '无中心且无网格',
};

function printReport(r: TownImportReport): void {
  const s = r.summary;
  console.log(`乡镇村导入 ${r.id}：${r.format ?? '未知格式'}，坐标系 ${r.crs}，文件 ${r.fileName ?? ''}`);
  for (const c of r.columns) console.log(`  列「${c.heading}」→ ${c.field ?? '（未使用）'}`);
  for (const e of r.fileErrors) console.log(`文件错误：${e}`);
  console.log(
    `读取 ${s.rows} 行，保留 ${s.kept} 行，舍弃 ${s.rejected} 行；乡镇 ${s.towns}${s.keepsTowns ? '（文件无乡镇行，沿用现有乡镇）' : ''}，村（社区） ${s.villages}${s.keepsVillages ? '（文件无村行，沿用现有村）' : ''}`,
  );
  console.log(`中心：文件给出 ${s.centresGiven}，由网格推算 ${s.centresFromGrids}，不在县界内 ${s.flagged}`);
  for (const x of r.rejected) console.log(`  舍弃（${REASONS[x.reason] ?? x.reason}）${x.count} 行：第 ${x.rows.join('、')} 行`);
  for (const row of r.rows) for (const e of row.errors) console.log(`第 ${row.row} 行 错误：${e.message}`);
  for (const row of r.rows) for (const n of row.notes) console.log(`第 ${row.row} 行 提示：${n}`);
  const u = r.unmatched;
  const names = (list: { name: string }[]) => list.map((x) => x.name).join('、');
  if (u.townsWithoutRecord.length) console.log(`有网格无记录的乡镇 ${u.townsWithoutRecord.length} 个：${names(u.townsWithoutRecord)}`);
  if (u.villagesWithoutRecord.length) console.log(`有网格无记录的村（社区） ${u.villagesWithoutRecord.length} 个：${names(u.villagesWithoutRecord)}`);
  if (u.townsWithoutGrids.length) console.log(`有记录无网格的乡镇 ${u.townsWithoutGrids.length} 个：${names(u.townsWithoutGrids)}`);
  if (u.villagesWithoutGrids.length) console.log(`有记录无网格的村（社区） ${u.villagesWithoutGrids.length} 个：${names(u.villagesWithoutGrids)}`);
  for (const w of r.warnings) console.log(`警告：${w}`);
  console.log(`读取 ${r.timings.readMs} ms，校验 ${r.timings.checkMs} ms`);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        crs: { type: 'string', default: 'wgs84' },
        commit: { type: 'boolean', default: false },
        'skip-invalid': { type: 'boolean', default: false },
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
  const file = positionals[0];
  if (!crs.success || !file || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const opened = importStore(values.commit, '未设置 REDIS_URL：与县里的乡镇文件和网格比对，只出报告 (report only)');
  if (!opened) return 2;
  const { config, store } = opened;
  try {
    const county = await loadCounty(config.dataDir);
    const grids = new GridLayers(await storedOrFileLayer(store, county));
    const layers = new TownLayers(await storedOrFileTownLayer(store, county));
    const imports = new TownImports(store, layers, grids, () => Date.now(), { outline: county.outline.features[0]!, countyCode: county.info.code });
    const uploaded = await imports.upload(await readFile(file), { crs: crs.data, fileName: basename(file) }, 'cli');
    if (!uploaded.ok) {
      console.error(uploaded.message);
      return 1;
    }
    const report = uploaded.value;
    printReport(report);
    const hasErrors = report.fileErrors.length > 0 || report.summary.rejected > 0;
    if (!values.commit) {
      if (config.redisUrl) await imports.cancel(report.id);
      return hasErrors ? 1 : 0;
    }
    const committed = await imports.commit(report.id, { confirmWarnings: values['confirm-warnings'], skipInvalid: values['skip-invalid'] }, 'cli');
    if (!committed.ok) {
      console.error(`未提交：${committed.message}`);
      if (config.redisUrl) await imports.cancel(report.id);
      return 1;
    }
    const c = committed.value.committed!;
    console.log(`已提交（版本 ${c.version}）：乡镇 ${c.towns} 个，村（社区） ${c.villages} 个；各服务进程改用新名录`);
    return 0;
  } finally {
    await store.close();
  }
}

runCli(main);
