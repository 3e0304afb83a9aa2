// The commander's control in a grid's popup: choose its risk level (封控区 also puts the
// neighbours under control unless unticked) and set it. Plain DOM, like the popup card.
import type { GridStatus, RiskLevel } from '../../../server/schema/index.ts';
import { api, ApiError } from '../lib/api.ts';
import { dict, fill, riskLabel } from '../lib/i18n.ts';

const LEVELS: RiskLevel[] = ['sealed', 'controlled', 'precaution', 'high', 'medium', 'low'];

/** `onset` hears the level once the server has it (the popup shows it at once). */
export function riskControl(gridId: string, current: RiskLevel | undefined, onset: (risk: RiskLevel) => void = () => {}): HTMLElement {
  const t = dict.common;
  const root = document.createElement('form');
  root.className = 'risk-control';
  root.dataset.riskControl = gridId;
  root.style.cssText = 'margin-top:8px;padding-top:8px;border-top:1px solid #d5dde6;display:flex;flex-direction:column;gap:6px';

  const row = document.createElement('div');
  row.style.cssText = 'display:flex;gap:6px;align-items:center';
  const select = document.createElement('select');
  select.name = 'risk';
  select.setAttribute('aria-label', t.riskLevel);
  for (const level of LEVELS) {
    const option = document.createElement('option');
    option.value = level;
    option.textContent = riskLabel[level];
    option.selected = level === (current ?? 'low');
    select.append(option);
  }
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = t.setRisk;
  row.append(select, button);

  const cascade = document.createElement('label');
  cascade.style.cssText = 'display:flex;gap:4px;align-items:center;font-size:12px';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.name = 'neighbours';
  box.checked = true;
  cascade.append(box, document.createTextNode(t.sealNeighbours));
  const showCascade = () => (cascade.style.display = select.value === 'sealed' ? 'flex' : 'none');
  select.addEventListener('change', showCascade);
  showCascade();

  const said = document.createElement('p');
  said.setAttribute('role', 'status');
  said.style.cssText = 'margin:0;font-size:12px';

  root.append(row, cascade, said);
  root.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    said.textContent = t.saving;
    const risk = select.value as RiskLevel;
    api<{ data: GridStatus[] }>(`/api/grids/${encodeURIComponent(gridId)}/risk`, { method: 'PUT', body: { risk, neighbours: box.checked } })
      .then(({ data }) => {
        onset(risk);
        const neighbours = data.filter((g) => g.id !== gridId).length;
        said.textContent =
          data.length === 0 ? t.riskUnchanged : neighbours ? fill(t.riskSetWithNeighbours, { level: riskLabel[risk], n: neighbours }) : fill(t.riskSet, { level: riskLabel[risk] });
        said.style.color = '#1e7b45';
      })
      .catch((err: unknown) => {
        said.textContent = err instanceof ApiError ? err.message : String(err);
        said.style.color = '#c0392b';
      })
      .finally(() => (button.disabled = false));
  });
  return root;
}
