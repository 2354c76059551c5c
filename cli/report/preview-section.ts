/** What the next sync does: per person and group (those it changes), what it holds back and why. */
import type { Markup } from './markup';
import { markup } from './markup';
import type { PreviewRow, ReportModel } from './report-model';
import { reportTable } from './report-table';

function rows(items: readonly PreviewRow[]) {
  return items.map((item) => ({
    cells: [
      markup`<strong>${item.who}</strong><br><small>${item.detail}</small>`,
      markup`<ul>${item.effects.map((e) => markup`<li>${e}</li>`)}</ul>`,
    ],
    ...(item.removes ? { className: 'removes' } : {}),
  }));
}

export function previewSection(model: ReportModel): Markup {
  const preview = model.preview;
  if ('unavailable' in preview)
    return markup`<section id="preview" class="notice"><h2>Next sync (preview)</h2><p>The preview could not be made: ${preview.unavailable}</p></section>`;
  return markup`<section id="preview">
<h2>Next sync (preview)</h2>
<p>The next sync's own plan, read now; nothing was changed. Rows in red take something away.</p>
<ul class="totals">${preview.totals.map((t) => markup`<li><span>${t.count}</span> ${t.label}</li>`)}</ul>
<h3>People</h3>
${preview.people.length > 0 ? reportTable(['person', 'what the next sync does'], rows(preview.people), 'preview') : markup`<p>No changes for anyone.</p>`}
${preview.peopleUnchanged > 0 ? markup`<p><small>${preview.peopleUnchanged} other person(s) already linked and unchanged.</small></p>` : ''}
${preview.accounts.length > 0 ? markup`<h3>Workspace accounts the IdP does not list</h3>${reportTable(['account', 'what the next sync does'], rows(preview.accounts), 'preview')}` : ''}
<h3>Groups</h3>
${preview.groups.length > 0 ? reportTable(['group', 'what the next sync does'], rows(preview.groups), 'preview') : markup`<p>No changes for any group.</p>`}
${preview.groupsUnchanged > 0 ? markup`<p><small>${preview.groupsUnchanged} other group(s) already linked and unchanged.</small></p>` : ''}
${preview.deletedGroups.length > 0 ? markup`<h3>Workspace groups deleted (the IdP deleted them)</h3><ul>${preview.deletedGroups.map((g) => markup`<li>${g}</li>`)}</ul>` : ''}
<h3>Held back</h3>
${
  preview.held.length > 0
    ? reportTable(
        ['what', 'why', 'changes'],
        preview.held.map((h) => ({ cells: [h.subject, h.why, h.changes ?? ''] })),
        'held',
      )
    : markup`<p>Nothing is held.</p>`
}
</section>`;
}
