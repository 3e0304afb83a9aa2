// `npm run import:sites -- --layer samplingPoints --crs gcj02 file.xlsx [--commit]`:
// the same reading and validation as POST /api/imports, from the command line. With
// REDIS_URL it checks ids against the running store and, with --commit, applies the good
// rows in one delta (add --skip-invalid to leave rows with errors out); without it, it
// prints the report only (every id then counts as new).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCounty } from '../server/county/county.ts';
import { storedOrFileLayer } from '../server/county/grid-layer.ts';
import { ImportCrs, ImportLayer, type ImportReport } from '../server/schema/index.ts';
import { Imports } from '../server/services/imports.ts';
import { importStore, runCli } from './lib/import-cli.ts';

const USAGE = 'usage: npm run import:sites -- --layer samplingPoints|hotels|hospitals|ambulances [--crs wgs84|gcj02|bd09] FILE.csv|FILE.xlsx [--commit [--skip-invalid]]';

function printReport(report: ImportReport): void {
  const s = report.summary;
  console.log(`导入 ${report.id}：${report.layer}，坐标系 ${report.crs}，文件 ${report.fileName ?? ''}`);
  for (const c of report.columns) console.log(`  列「${c.heading}」→ ${c.field ?? '（未识别，忽略）'}`);
  for (const e of report.fileErrors) console.log(`文件错误：${e}`);
  for (const row of report.rows) {
    for (const e of row.errors) console.log(`第 ${e.row} 行 错误：${e.message}`);
    for (const n of row.notes) console.log(`第 ${n.row} 行 提示：${n.message}`);
  }
  console.log(`共 ${s.rows} 行：正确 ${s.good}，有错误 ${s.withErrors}；将新建 ${s.create}，将更新 ${s.update}`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      layer: { type: 'string' },
      crs: { type: 'string', default: 'wgs84' },
      commit: { type: 'boolean', default: false },
      'skip-invalid': { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const layer = ImportLayer.safeParse(values.layer);
  const crs = ImportCrs.safeParse(values.crs);
  const file = positionals[0];
  if (!layer.success || !crs.success || !file || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const opened = importStore(values.commit, '未设置 REDIS_URL：只检查文件，不与现有数据比对 (report only)');
  if (!opened) return 2;
  const { config, store } = opened;
  try {
    const county = await loadCounty(config.dataDir);
    // The grids the board serves: an imported set when one was committed, else the file's.
    const imports = new Imports(store, (await storedOrFileLayer(store, county)).locator, () => Date.now());
    const uploaded = await imports.upload(await readFile(file), { layer: layer.data, crs: crs.data, fileName: basename(file) }, 'cli');
    if (!uploaded.ok) {
      console.error(uploaded.message);
      return 1;
    }
    printReport(uploaded.value);
    if (!values.commit) {
      if (config.redisUrl) await imports.cancel(uploaded.value.id);
      return uploaded.value.summary.withErrors > 0 || uploaded.value.fileErrors.length > 0 ? 1 : 0;
    }
    const committed = await imports.commit(uploaded.value.id, values['skip-invalid'], 'cli');
    if (!committed.ok) {
      console.error(`未提交：${committed.message}`);
      return 1;
    }
    const c = committed.value.committed!;
    console.log(`已提交（seq ${c.seq}）：新建 ${c.created}，更新 ${c.updated}，跳过 ${c.skipped}`);
    if (c.terminals) {
      console.log(`终端已绑定 ${c.terminals.bound} 辆车 (terminals bound)${c.terminals.refused.length ? `；未绑定：${c.terminals.refused.join('；')}` : ''}`);
      if (c.terminals.refused.length) return 1;
    }
    return 0;
  } finally {
    await store.close();
  }
}

runCli(main);
