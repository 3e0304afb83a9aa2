// A vehicle import's terminal columns, bound when the import is committed: one compare-and-set
// over the binding set for every row that names a terminal (a row naming only one kind keeps the
// vehicle's other). An identity another vehicle took since the file was checked is refused, row
// by row, and said in the import's report; an OsmAnd device keeps the key it has.
import type { ImportedFields } from '../schema/index.ts';
import type { StoredVehicleTerminals } from '../schema/terminals.ts';
import { updateBindings, type TerminalStore } from '../store/terminal-store.ts';
import { plan } from './bindings.ts';

export async function bindImported(store: TerminalStore, rows: ImportedFields[], by: string, at: number): Promise<{ bound: number; refused: string[] }> {
  const named = rows.filter((r) => r['terminal.jt808Phone'] !== undefined || r['terminal.osmandId'] !== undefined);
  if (named.length === 0) return { bound: 0, refused: [] };
  const done = await updateBindings(store, (set) => {
    const working = new Map(set.vehicles);
    const written = new Map<string, StoredVehicleTerminals | null>();
    const refused: string[] = [];
    let bound = 0;
    for (const row of named) {
      const current = working.get(row.id);
      const phone = row['terminal.jt808Phone'] as string | undefined;
      const terminalId = row['terminal.terminalId'] as string | undefined;
      const osmandId = (row['terminal.osmandId'] as string | undefined) ?? current?.osmand?.deviceId;
      const planned = plan(
        { version: set.version, vehicles: working },
        row.id,
        {
          jt808: phone ? { phone, ...(terminalId ? { terminalId } : {}) } : (current?.jt808 ?? null),
          osmand: osmandId ? { deviceId: osmandId, key: 'keep' } : null,
          move: false,
        },
        { at, by },
      );
      if ('refusal' in planned) {
        refused.push(`${row.id}：${planned.refusal.message}`);
        continue;
      }
      bound++;
      for (const w of planned.writes) {
        written.set(w.ambulanceId, w.binding);
        if (w.binding) working.set(w.ambulanceId, w.binding);
        else working.delete(w.ambulanceId);
      }
    }
    return { writes: [...written].map(([ambulanceId, binding]) => ({ ambulanceId, binding })), result: { bound, refused } };
  });
  if (done === 'conflict') return { bound: 0, refused: ['终端绑定正被频繁修改，未能绑定，请在“车辆与终端”中重试 (the bindings kept changing)'] };
  for (const row of named) {
    if (row['terminal.jt808Phone']) await store.forgetUnknown('jt808', row['terminal.jt808Phone'] as string);
    if (row['terminal.osmandId']) await store.forgetUnknown('osmand', row['terminal.osmandId'] as string);
  }
  return done.result;
}
