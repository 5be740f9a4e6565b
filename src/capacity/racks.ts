/**
 * Racks, power and cost of a cluster: pure arithmetic, every figure an input.
 *
 * Power of a machine at utilization u (0…1) is linear between its idle and
 * maximum wall power, P(u) = P_idle + (P_max − P_idle) · u: the model of Fan,
 * Weber and Barroso, "Power provisioning for a warehouse-sized computer"
 * (ISCA 2007), which they found within a few percent of measured draw when u
 * is CPU utilization. Here u is the cluster's CPU allocation (requested ÷
 * allocatable), the closest figure a scheduling simulation has.
 */

/** Hours in an average month: 8760 / 12. */
export const HOURS_PER_MONTH = 730;

/** Machines of one kind (one pool of the cluster). */
export interface MachineGroup {
  readonly pool: string;
  readonly profile?: string | undefined;
  readonly count: number;
  /** Rack units per machine (0: a board or box on a shelf, taking no rack space). */
  readonly rackUnits: number;
  readonly idleWatts: number;
  readonly maxWatts: number;
  /** Purchase price per machine, USD. */
  readonly priceUsd: number;
}

export interface RackSettings {
  /** Rack height in U (EIA-310 full-height rack: 42U). */
  readonly units: number;
  /** U taken by the top-of-rack switch(es). */
  readonly torUnits: number;
  /** Switch ports for machines per rack. */
  readonly torPorts: number;
  /** Ports each machine takes (2 for a dual-homed machine). */
  readonly portsPerNode: number;
  /** Power budget per rack, kW. */
  readonly powerKw: number;
  /** What a machine counts against the rack's budget: `max` its maximum wall power (safe provisioning), `peak` its draw at the run's peak utilization. */
  readonly budgetAt: 'max' | 'peak';
}

export interface CostSettings {
  /** Months over which purchase prices are spread (straight-line). */
  readonly amortizationMonths: number;
  readonly usdPerKwh: number;
  /** Power usage effectiveness: facility power ÷ IT power. */
  readonly pue: number;
  /** Space (colocation) cost per rack and month. */
  readonly rackUsdPerMonth: number;
}

/** P(u) = idle + (max − idle) · u, u clamped to [0, 1]. */
export function powerAt(m: Pick<MachineGroup, 'idleWatts' | 'maxWatts'>, u: number): number {
  const x = Math.min(1, Math.max(0, u));
  return m.idleWatts + (m.maxWatts - m.idleWatts) * x;
}

export interface RackLayout {
  readonly racks: number;
  /** Machines per rack, in rack order. */
  readonly machinesPerRack: readonly number[];
  /** What limited the racks: the first constraint a machine did not fit in a rack that was not empty. */
  readonly limitedBy: 'units' | 'power' | 'ports' | 'none';
  /** Set when a single machine does not fit an empty rack; racks is then 0. */
  readonly error?: string | undefined;
}

/**
 * Lays machines into racks in order (pool by pool), next-fit: a machine goes
 * into the current rack when its units, its power (by `budgetAt`) and its
 * ports fit what is left, else a new rack is opened.
 */
export function layRacks(groups: readonly MachineGroup[], rack: RackSettings, uPeak: number): RackLayout {
  const usable = rack.units - rack.torUnits;
  const budget = rack.powerKw * 1000;
  const per: number[] = [];
  let limitedBy: RackLayout['limitedBy'] = 'none';
  let units = 0;
  let watts = 0;
  let ports = 0;
  for (const g of groups) {
    const w = rack.budgetAt === 'max' ? g.maxWatts : powerAt(g, uPeak);
    if (g.rackUnits > usable || w > budget || rack.portsPerNode > rack.torPorts) {
      const why =
        g.rackUnits > usable
          ? `${g.rackUnits}U per machine, ${usable}U usable per rack`
          : w > budget
            ? `${w} W per machine, a ${rack.powerKw} kW budget per rack`
            : `${rack.portsPerNode} ports per machine, ${rack.torPorts} per rack`;
      return { racks: 0, machinesPerRack: [], limitedBy: 'none', error: `a machine of pool "${g.pool}" does not fit an empty rack (${why})` };
    }
    for (let i = 0; i < g.count; i++) {
      const fitsUnits = units + g.rackUnits <= usable;
      const fitsPower = watts + w <= budget + 1e-9;
      const fitsPorts = ports + rack.portsPerNode <= rack.torPorts;
      if (per.length === 0 || !fitsUnits || !fitsPower || !fitsPorts) {
        if (per.length > 0 && limitedBy === 'none') limitedBy = !fitsUnits ? 'units' : !fitsPower ? 'power' : 'ports';
        per.push(0);
        units = 0;
        watts = 0;
        ports = 0;
      }
      per[per.length - 1]!++;
      units += g.rackUnits;
      watts += w;
      ports += rack.portsPerNode;
    }
  }
  return { racks: per.length, machinesPerRack: per, limitedBy };
}

export interface PowerAndCost {
  readonly machines: number;
  readonly racks: number;
  readonly rackLimitedBy: RackLayout['limitedBy'];
  /** IT power (before PUE) at the mean and the peak utilization, kW. */
  readonly powerMeanKw: number;
  readonly powerPeakKw: number;
  /** Purchase prices of every machine, USD. */
  readonly purchaseUsd: number;
  readonly capexUsdPerMonth: number;
  /** powerMeanKw × PUE × 730 h × USD/kWh. */
  readonly energyUsdPerMonth: number;
  readonly spaceUsdPerMonth: number;
  readonly totalUsdPerMonth: number;
  readonly error?: string | undefined;
}

/** Racks, power at the mean and peak utilization, and the monthly cost of `groups`. */
export function powerAndCost(groups: readonly MachineGroup[], uMean: number, uPeak: number, rack: RackSettings, cost: CostSettings): PowerAndCost {
  const layout = layRacks(groups, rack, uPeak);
  let machines = 0;
  let meanW = 0;
  let peakW = 0;
  let purchase = 0;
  for (const g of groups) {
    machines += g.count;
    meanW += g.count * powerAt(g, uMean);
    peakW += g.count * powerAt(g, uPeak);
    purchase += g.count * g.priceUsd;
  }
  const capex = purchase / cost.amortizationMonths;
  const energy = (meanW / 1000) * cost.pue * HOURS_PER_MONTH * cost.usdPerKwh;
  const space = layout.racks * cost.rackUsdPerMonth;
  return {
    machines,
    racks: layout.racks,
    rackLimitedBy: layout.limitedBy,
    powerMeanKw: meanW / 1000,
    powerPeakKw: peakW / 1000,
    purchaseUsd: purchase,
    capexUsdPerMonth: capex,
    energyUsdPerMonth: energy,
    spaceUsdPerMonth: space,
    totalUsdPerMonth: capex + energy + space,
    error: layout.error,
  };
}
