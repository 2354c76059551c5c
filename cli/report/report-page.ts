/**
 * The report as one self-contained HTML file: inline CSS and SVG, no script at all, and a Content
 * Security Policy that forbids anything else (a file opened from disk can load nothing). Every
 * string of the data goes through `markup`, which escapes it; only the stylesheet and the policy,
 * constants of this code, go in as they are.
 */
import { Markup, markup } from './markup';
import { PAGE_STYLE } from './page-style';
import { previewSection } from './preview-section';
import type { ReportModel } from './report-model';
import { accessSection, appliesSection } from './status-section';
import { chartSection, latestSection } from './sync-section';

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function reportPage(model: ReportModel): string {
  return `<!doctype html>\n${
    markup`<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${new Markup(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${model.title}</title>
<style>${new Markup(PAGE_STYLE)}</style>
</head>
<body>
<header>
<h1>${model.title}</h1>
<p>Connection <code>${model.connectionId}</code>, made ${model.generatedAt} by <code>roster report</code>. It holds names and emails: keep it where the roster itself may be read.</p>
</header>
<main>
${accessSection(model)}
${appliesSection(model)}
${latestSection(model)}
${chartSection(model)}
${previewSection(model)}
</main>
<footer>${model.summary}</footer>
</body>
</html>
`.text
  }`;
}
