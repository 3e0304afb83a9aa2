// A vehicle import's terminal columns: each row's JT/T 808 phone, terminal id and OsmAnd device
// id checked in the report (readable, not twice in the file, not another vehicle's), and bound
// with the vehicles when the import is committed, served at once with no restart.
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../server/schema/index.ts';
import { useServer } from '../helpers/use-server.ts';

describe('vehicle import with terminals', () => {
  const env = useServer({ roles: ['admin'] });
  const send = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${env.srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.tokens.admin}`, ...(body === undefined ? {} : { 'content-type': 'text/csv' }) },
      body,
    });
    return { status: res.status, body: (await res.json()) as { data: ImportReport; message?: string } };
  };

  it('reports bad, repeated and taken identities row by row, and binds the good rows on commit', async () => {
    const csv = [
      '编号,呼号,类型,终端手机号,终端ID,OsmAnd设备号',
      'IMPV1,瓜州普通91,普通,013955550001,NEWV001,li-phone',
      'IMPV2,瓜州普通92,普通,13900000001,,', // NP01's terminal
      'IMPV3,瓜州普通93,普通,12ab,,',
      'IMPV4,瓜州普通94,普通,,,li-phone', // the same phone as IMPV1
      'IMPV5,瓜州普通95,普通,,GZ9,',
      'AMB03,瓜州普通03（更新）,普通,013955550003,GZ00008,', // an existing vehicle: its terminal replaced
    ].join('\n');
    const uploaded = await send('POST', '/api/imports?layer=ambulances', csv);
    expect(uploaded.status).toBe(201);
    const report = uploaded.body.data;
    const errors = (id: string) =>
      report.rows
        .find((r) => r.id === id)!
        .errors.map((e) => e.message)
        .join(' ');
    expect(report.columns.map((c) => c.field)).toEqual(['id', 'callSign', 'kind', 'terminal.jt808Phone', 'terminal.terminalId', 'terminal.osmandId']);
    expect(errors('IMPV1')).toMatch(/li-phone.*重复/);
    expect(errors('IMPV2')).toMatch(/已绑定到车辆 NP01/);
    expect(errors('IMPV3')).toMatch(/终端手机号「12ab」/);
    expect(errors('IMPV4')).toMatch(/重复/);
    expect(errors('IMPV5')).toMatch(/须同时填写终端手机号/);
    expect(errors('AMB03')).toBe('');
    expect(report.summary).toMatchObject({ good: 1, withErrors: 5 });

    const committed = await send('POST', `/api/imports/${report.id}/commit?skipInvalid=true`);
    expect(committed.status).toBe(200);
    expect(committed.body.data.committed).toMatchObject({ updated: 1, terminals: { bound: 1, refused: [] } });
    // Served at once: the imported phone reports for AMB03, its old terminal no longer does.
    const directory = env.srv.app.terminals.directory;
    expect(directory.jt808Of('13955550003')).toEqual({ ambulanceId: 'AMB03', terminalId: 'GZ00008' });
    expect(directory.jt808Of('013900000008')).toBeUndefined();
    expect((await env.srv.store.terminals.bindingSet()).vehicles.get('AMB03')).toMatchObject({ jt808: { phone: '013955550003' }, updatedBy: 'admin' });
  });
});
