/**
 * HTML built from templates in which every interpolated value is escaped: `markup\`<td>${name}</td>\``
 * turns `<script>` in a display name into text. Only what `markup` itself built (a `Markup`) goes in
 * as it is, so a page made of these templates holds no markup that came from the data. Arrays are
 * joined, `undefined`, `null` and `false` write nothing.
 *
 * The tag is not called `html`: Prettier would reformat the templates it tags.
 */

/** Markup this module built: inserted into another template as it is. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Interpolated = Markup | string | number | boolean | null | undefined | readonly Interpolated[];

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in element content and in a quoted attribute value. */
export function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

function render(value: Interpolated): string {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeText(String(value as string | number | boolean));
}

export function markup(strings: TemplateStringsArray, ...values: Interpolated[]): Markup {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? '');
  });
  return new Markup(text);
}
