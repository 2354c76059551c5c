/**
 * `npm run bench [-- --only push,raw] [--scale 0.1] [--skip-large-sync]`: runs the benchmark,
 * prints the table on stdout (progress on stderr) and writes bench/results/latest.json.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_OUTPUT, runBench } from './bench';
import { reportTable } from './report-table';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    scale: { type: 'string', default: '1' },
    'skip-large-sync': { type: 'boolean', default: false },
    output: { type: 'string', default: DEFAULT_OUTPUT },
  },
});

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
