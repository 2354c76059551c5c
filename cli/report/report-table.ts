/** A table of the report: a header row, and one row per item, every cell escaped unless it is markup. */
import type { Interpolated, Markup } from './markup';
import { markup } from './markup';

export interface Row {
  cells: readonly Interpolated[];
  /** A class for the row, such as `removes` for a row that takes access away. */
  className?: string;
}

export function reportTable(headers: readonly string[], rows: readonly Row[], className = ''): Markup {
  return markup`<table class="${className}"><thead><tr>${headers.map((h) => markup`<th scope="col">${h}</th>`)}</tr></thead><tbody>
${rows.map(
  (
    row,
  ) => markup`<tr${row.className ? markup` class="${row.className}"` : ''}>${row.cells.map((cell) => markup`<td>${cell}</td>`)}</tr>
`,
)}</tbody></table>`;
}
