/**
 * Where the difference between two platforms comes from: the platform's
 * share of the cluster part by part (src/model/platform-share.ts), one column
 * per platform, their difference, what is behind each part and its source.
 */
import type { PlatformShare, ShareAmounts } from '../model/platform-share.js';
import { SHARE_PARTS } from '../model/platform-share.js';
import { amountsText, cpuText, memoryText } from './platform-compare.js';
import type { Cell, Table } from './tables.js';

const plain = (text: string): Cell => ({ text, tone: 'plain' });

/** A signed difference: + where the first platform takes more. */
function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : text;
}

/** `cpu · memory · pods` of a difference, each signed. */
export function differenceText(a: ShareAmounts): string {
  if (a.cpu === 0 && a.memory === 0 && a.pods === 0) return '0';
  return [signed(cpuText(a.cpu), a.cpu), signed(memoryText(a.memory), a.memory), signed(String(a.pods), a.pods)].join(' · ');
}

const minus = (a: ShareAmounts, b: ShareAmounts): ShareAmounts => ({ cpu: a.cpu - b.cpu, memory: a.memory - b.memory, pods: a.pods - b.pods });
const taken = (a: ShareAmounts): string => (a.cpu === 0 && a.memory === 0 && a.pods === 0 ? '0' : amountsText(a));

/**
 * The attribution table for two platforms' shares (cluster totals, cpu ·
 * memory · pods): a row per part, the total the platform keeps from the
 * workload, what is left for it, and the published measurement of the
 * processes no pod requests. `first − second` in the difference column.
 */
export function platformShareTable(first: PlatformShare, second: PlatformShare): Table {
  const header = ['part', first.platform, second.platform, `${first.platform} − ${second.platform}`, 'components', 'source'];
  const rows: Cell[][] = [];
  SHARE_PARTS.forEach(({ part, label }, i) => {
    const a = first.rows[i]!;
    const b = second.rows[i]!;
    if (a.part !== part || b.part !== part) throw new Error(`platform share rows out of order at ${part}`);
    const what = [a.what === '' ? '' : `${first.platform}: ${a.what}`, b.what === '' ? '' : `${second.platform}: ${b.what}`].filter((x) => x !== '').join('; ');
    const sources = [...new Set([a.source, b.source].flatMap((s) => s.split('; ')).filter((s) => s !== ''))].join('; ');
    rows.push([label, taken(a.amounts), taken(b.amounts), differenceText(minus(a.amounts, b.amounts)), what === '' ? '–' : what, sources === '' ? '–' : sources].map(plain));
  });
  rows.push(['taken from the workload (sum)', taken(first.total), taken(second.total), differenceText(minus(first.total, second.total)), '–', '–'].map(plain));
  const left = (s: PlatformShare): ShareAmounts => minus(s.capacity, s.total);
  rows.push(['left for the workload (capacity − sum)', taken(left(first)), taken(left(second)), differenceText(minus(left(first), left(second))), '–', '–'].map(plain));
  const measured = (s: PlatformShare): string => (s.measured === undefined ? 'not published' : `${cpuText(s.measured.amounts.cpu)} · ${memoryText(s.measured.amounts.memory)}`);
  const source = first.measured?.source ?? second.measured?.source ?? '–';
  rows.push(['not in the sum: k3s service process, measured (no pod requests it; nothing reserves it)', measured(first), measured(second), '–', 'control plane, datastore, kubelet, containerd, flannel and kube-proxy in one process tree', source].map(plain));
  return { header, rows };
}
