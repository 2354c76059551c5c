import { describe, expect, it } from 'vitest';
import { escapeText, Markup, markup } from '../../../cli/report/markup';
import { HOSTILE } from './report-fixtures';

describe('markup', () => {
  it('escapes every interpolated string: tags, both quotes and ampersands', () => {
    expect(markup`<td title="${HOSTILE}">${HOSTILE}</td>`.text).toBe(
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &quot;Co&quot;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &quot;Co&quot;</td>',
    );
    expect(escapeText('&amp;')).toBe('&amp;amp;');
  });

  it('inserts what it built as it is, once escaped, however deep', () => {
    const cell = markup`<td>${'a<b'}</td>`;
    expect(markup`<tr>${cell}</tr>`.text).toBe('<tr><td>a&lt;b</td></tr>');
    expect(markup`<tr>${[cell, cell]}</tr>`.text).toBe('<tr><td>a&lt;b</td><td>a&lt;b</td></tr>');
    expect(markup`${[['<', markup`<br>`]]}`.text).toBe('&lt;<br>');
  });

  it('writes numbers and true as text, and nothing for undefined, null and false', () => {
    expect(markup`${0}|${12.5}|${true}|${undefined}|${null}|${false}`.text).toBe('0|12.5|true|||');
  });

  it('a plain object with a text field is not taken for markup', () => {
    const impostor = { text: '<b>' } as unknown as string;
    expect(markup`${impostor}`.text).toBe('[object Object]');
    expect(String(new Markup('<b>'))).toBe('<b>');
  });
});
