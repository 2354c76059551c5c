/**
 * `npm run bench [-- --only push,raw] [--scale 0.1] [--skip-large-sync] [--help]`: runs the benchmark,
 * prints the table on stdout (progress on stderr) and writes bench/results/latest.json.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_OUTPUT, runBench, SCENARIOS } from './bench';
import { reportTable } from './report-table';

const USAGE = `npm run bench [-- options]

  --only a,b           run only these scenarios: ${Object.keys(SCENARIOS).join(', ')}
  --scale N            multiply every size (default 1, the sizes of docs/benchmarks.md)
  --skip-large-sync    skip the 100,000-user sync
  --output FILE        where to write the JSON (default bench/results/latest.json)
  --help               this text`;

let values: { only?: string; scale: string; 'skip-large-sync': boolean; output: string; help: boolean };
try {
  values = parseArgs({
    options: {
      only: { type: 'string' },
      scale: { type: 'string', default: '1' },
      'skip-large-sync': { type: 'boolean', default: false },
      output: { type: 'string', default: DEFAULT_OUTPUT },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const unknown = (values.only ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '' && !(name in SCENARIOS));
if (unknown.length > 0) {
  process.stderr.write(`bench: no scenario ${unknown.join(', ')}\n\n${USAGE}\n`);
  process.exit(2);
}

const report = await runBench({
  ...(values.only
    ? {
        only: values.only
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      }
    : {}),
  scale: Number(values.scale),
  skipLargeSync: values['skip-large-sync'],
  output: values.output,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${reportTable(report)}\n`);
process.stderr.write(`wrote ${values.output}\n`);
