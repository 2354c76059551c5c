/** The readable summary printed after a run: one line per scenario, then per-scenario details and targets. */
import type { BenchReport } from './bench';
import type { Extra, ScenarioResult } from './result';

function pad(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, c) => cell.padStart(c === 0 ? 0 : (widths[c] ?? 0)).padEnd(c === 0 ? (widths[c] ?? 0) : 0))
      .join('  '),
  );
}

const num = (value: Extra | undefined) => (typeof value === 'number' ? String(value) : '–');

function details(result: ScenarioResult): string[] {
  const lines: string[] = [];
  if (
    result.name === 'push' &&
    result.phases &&
    typeof result.phases === 'object' &&
    !Array.isArray(result.phases)
  ) {
    lines.push(
      `  push: batch ${num(result.batchSize)} members/PATCH, ${num(result.membershipsPerSecond)} memberships/s, ${num(result.membershipPatchesPerSecond)} PATCH/s, ratio to raw PutItem ${num(result.requestRateToRawPut)}, ${num(result.pendingAfterPush)} resources left pending`,
    );
    const rows = [
      [
        '  phase',
        'requests',
        'req/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'calls/req',
        'tx/req',
        'items written/req',
      ],
    ];
    for (const [name, phase] of Object.entries(result.phases)) {
      if (!phase || typeof phase !== 'object' || Array.isArray(phase)) continue;
      rows.push([
        `  ${name}`,
        num(phase.requests),
        num(phase.requestsPerSecond),
        num(phase.p50Ms),
        num(phase.p95Ms),
        num(phase.p99Ms),
        num(phase.dynamoCallsPerRequest),
        num(phase.transactionsPerRequest),
        num(phase.itemsWrittenPerRequest),
      ]);
    }
    lines.push(...pad(rows));
  }
  if (
    result.name === 'raw' &&
    result.getItem &&
    typeof result.getItem === 'object' &&
    !Array.isArray(result.getItem)
  ) {
    const get = result.getItem;
    lines.push(
      `  raw GetItem: ${num(get.opsPerSecond)} ops/s, p50 ${num(get.p50Ms)} ms, p99 ${num(get.p99Ms)} ms`,
    );
    for (const tx of Array.isArray(result.transactWrite) ? result.transactWrite : []) {
      if (!tx || typeof tx !== 'object' || Array.isArray(tx)) continue;
      lines.push(
        `  raw TransactWriteItems of ${num(tx.items)}: ${num(tx.opsPerSecond)} ops/s (${num(tx.itemsPerSecond)} items/s), p50 ${num(tx.p50Ms)} ms, p99 ${num(tx.p99Ms)} ms`,
      );
    }
  }
  if (result.name === 'group-scaling' && Array.isArray(result.sizes)) {
    const rows = [['  group size', 'adds', 'p50 ms', 'p95 ms', 'p99 ms', 'calls/add']];
    for (const row of result.sizes) {
      if (!row || typeof row !== 'object' || Array.isArray(row)) continue;
      rows.push([
        `  ${num(row.groupSize)}`,
        num(row.adds),
        num(row.p50Ms),
        num(row.p95Ms),
        num(row.p99Ms),
        num(row.dynamoCallsPerAdd),
      ]);
    }
    lines.push(...pad(rows));
  }
  if (result.name === 'paging') {
    lines.push(
      `  paging: ${num(result.users)} users in ${num(result.pages)} pages, ${num(result.itemsRead)} items read (${num(result.itemsReadPerUser)} per user)`,
    );
  }
  if (result.name === 'sync' && Array.isArray(result.runs)) {
    const rows = [
      [
        '  users',
        'groups',
        'grants',
        'seconds',
        'items read',
        'calls',
        'planned',
        'applied',
        'failed',
        'peak RSS MiB',
        'baseline MiB',
      ],
    ];
    for (const run of result.runs) {
      if (!run || typeof run !== 'object' || Array.isArray(run)) continue;
      rows.push([
        `  ${num(run.users)}`,
        num(run.groups),
        num(run.grants),
        num(run.seconds),
        num(run.itemsRead),
        num(run.dynamoCalls),
        num(run.changesPlanned),
        num(run.changesApplied),
        num(run.changesFailed),
        num(run.peakRssMiB),
        num(run.baselineRssMiB),
      ]);
    }
    lines.push(...pad(rows));
    const at = result.estimateAt1M;
    if (at && typeof at === 'object' && !Array.isArray(at)) {
      lines.push(
        `  1M users, extrapolated: ${num(at.perUserRssKiB)} KiB per user, peak RSS ${num(at.peakRssMiB)} MiB, ${num(at.seconds)} s (read and plan ${num(at.readAndPlanSeconds)} s)`,
      );
    }
  }
  if (Array.isArray(result.targets)) {
    for (const t of result.targets) {
      if (!t || typeof t !== 'object' || Array.isArray(t)) continue;
      lines.push(
        `  target ${t.met === true ? 'MET   ' : 'MISSED'} ${String(t.description)} (actual ${JSON.stringify(t.actual)})`,
      );
    }
  }
  return lines;
}

export function reportTable(report: BenchReport): string {
  const rows = [['scenario', 'ops', 'seconds', 'ops/s', 'p50 ms', 'p95 ms', 'p99 ms', 'dynamo calls/op']];
  for (const r of report.scenarios) {
    rows.push([
      r.name,
      String(r.operations),
      String(r.seconds),
      String(r.opsPerSecond),
      String(r.p50Ms),
      String(r.p95Ms),
      String(r.p99Ms),
      String(r.dynamoCallsPerOperation),
    ]);
  }
  const { machine } = report;
  return [
    `Roster bench ${report.date} — ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}, scale ${report.scale}`,
    '',
    ...pad(rows),
    '',
    ...report.scenarios.flatMap((r) => [...details(r), '']),
  ].join('\n');
}
