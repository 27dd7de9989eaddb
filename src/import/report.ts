/**
 * The intake report (收件报告): one row per submission — unit, title, where each front-matter value came from, length,
 * sections, images — and every lint message mapped back to the Word paragraph, so the editor can send each unit a
 * list of what to fix. As a self-contained HTML page (no scripts, no links out), a stderr summary, and JSON.
 */
import type { ResolvedConfig } from '../config/load.js';
import type { ImportResult, SubmissionReport } from './intake.js';
import type { FieldValue, Origin } from './submission.js';

export const reportFileName = '收件报告.html';

const originNames: Record<Origin, string> = { roster: '汇总表', document: '文档', guessed: '推测', 'file name': '文件名', missing: '缺' };
const fieldNames: Record<string, string> = { title: '标题', unit: '单位', sector: '领域', measure: '举措', mechanism: '工作机制' };
const statusNames: Record<SubmissionReport['status'], string> = { imported: '已导入', skipped: '已跳过', failed: '失败' };

/** The summary printed to stderr at the end of a run. */
export function intakeSummary(result: ImportResult): string {
  const lines: string[] = [];
  for (const s of result.submissions) {
    if (s.status === 'failed') lines.push(`✖ ${s.source}：${s.reason}`);
    else if (s.status === 'skipped') lines.push(`- ${s.source}：${s.reason}`);
    else {
      const errors = s.diagnostics?.filter((d) => d.severity === 'error').length ?? 0;
      const warnings = s.diagnostics?.filter((d) => d.severity === 'warn').length ?? 0;
      const missing = Object.entries(s.fields ?? {}).filter(([, f]) => f.from === 'missing').map(([k]) => fieldNames[k]);
      lines.push(`✔ ${s.source} → ${s.output}${errors + warnings ? `（${errors} 个错误，${warnings} 个警告）` : ''}${missing.length ? `；缺：${missing.join('、')}` : ''}`);
    }
    for (const w of s.warnings ?? []) lines.push(`    ⚠ ${w}`);
  }
  for (const m of result.roster?.messages ?? []) lines.push(`${m.severity === 'error' ? '✖' : '⚠'} ${result.roster!.path}${m.line ? `:${m.line}${m.column ? `:${m.column}` : ''}` : ''}：${m.message}`);
  const count = (status: SubmissionReport['status']) => result.submissions.filter((s) => s.status === status).length;
  lines.push(`${total(result)}：导入 ${count('imported')} 个，跳过 ${count('skipped')} 个，失败 ${count('failed')} 个。${result.reportPath ? `收件报告：${result.reportPath}` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** The same data as JSON (`--format json`). */
export function intakeJson(result: ImportResult): string {
  const { configFile: _, ...data } = result;
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** The report as one HTML page that opens offline. */
export function intakeHtml(result: ImportResult, config: Pick<ResolvedConfig, 'title' | 'sectors'>): string {
  const label = (key: string) => config.sectors.find((s) => s.key === key)?.label;
  const rows = result.submissions.map((s, i) => submissionHtml(s, i, label)).join('\n');
  // One line a submission first, so the editor sees at a glance which units to write to.
  const overview = `<table class="overview"><tr><th>单位</th><th>标题</th><th>结果</th><th>字数</th><th>缺</th><th>错误</th><th>警告</th></tr>${result.submissions
    .map((s, i) => {
      const errors = s.diagnostics?.filter((d) => d.severity === 'error').length ?? 0;
      const warnings = s.diagnostics?.filter((d) => d.severity === 'warn').length ?? 0;
      const missing = Object.entries(s.fields ?? {}).filter(([, f]) => f.from === 'missing').map(([k]) => fieldNames[k]);
      return `<tr><td><a href="#s${i + 1}">${esc(String(s.fields?.unit?.value ?? s.source))}</a></td><td>${esc(String(s.fields?.title?.value ?? ''))}</td><td class="${s.status === 'failed' ? 'error' : s.status === 'skipped' ? 'warn' : ''}">${statusNames[s.status]}</td><td>${s.length ?? ''}</td><td class="missing">${esc(missing.join('、'))}</td><td class="${errors ? 'error' : ''}">${s.fields ? errors : ''}</td><td>${s.fields ? warnings : ''}</td></tr>`;
    })
    .join('')}</table>`;
  const rosterNotes = result.roster?.messages.length
    ? `<section><h2>汇总表 ${esc(result.roster.path)}</h2><ul>${result.roster.messages
        .map((m) => `<li class="${m.severity}">${m.line ? `第 ${m.line} 行：` : ''}${esc(m.message)}</li>`)
        .join('')}</ul></section>`
    : '';
  const count = (status: SubmissionReport['status']) => result.submissions.filter((s) => s.status === status).length;
  return `<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>收件报告 · ${esc(config.title ?? '')}</title>
<style>
body{font:15px/1.6 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin:0 0 .5rem}
section{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
section.failed{border-color:#c00}section.skipped{border-color:#c90}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
.missing{color:#c00;font-weight:bold}.guessed{color:#a60}.error{color:#c00}.warn{color:#a60}
.small{color:#c00}q{color:#555}code{font-size:.9em}
.overview th,.overview td:nth-child(n+3){white-space:nowrap}
</style>
</head>
<body>
<h1>收件报告</h1>
<p>${total(result)}：导入 ${count('imported')} 个，跳过 ${count('skipped')} 个，失败 ${count('failed')} 个。</p>
${overview}
${rosterNotes}
${rows}
</body>
</html>
`;
}

function submissionHtml(s: SubmissionReport, i: number, label: (key: string) => string | undefined): string {
  const head = `<h2>${esc(String(s.fields?.unit?.value ?? s.source))}${s.fields?.title?.value ? `：${esc(String(s.fields.title.value))}` : ''}</h2>
<p>${statusNames[s.status]}：<code>${esc(s.source)}</code>${s.output ? ` → <code>${esc(s.output)}</code>` : ''}${s.reason ? `<br><span class="${s.status === 'failed' ? 'error' : 'warn'}">${esc(s.reason)}</span>` : ''}</p>`;
  if (!s.fields) return `<section id="s${i + 1}" class="${s.status}">${head}</section>`;
  const fields = Object.entries(s.fields)
    .map(([k, f]) => `<tr><th>${fieldNames[k] ?? k}</th><td>${esc(k === 'sector' && typeof f.value === 'string' && label(f.value) ? `${label(f.value)}（${f.value}）` : show(f))}</td><td class="${f.from}">${originNames[f.from]}${f.because ? `（${esc(f.because)}）` : ''}</td></tr>`)
    .join('');
  const length = s.length !== undefined ? `${s.length} 字${s.length < (s.minLength ?? 0) ? `<span class="error">（少于 ${s.minLength} 字）</span>` : s.length > (s.maxLength ?? Infinity) ? `<span class="error">（多于 ${s.maxLength} 字）</span>` : `（${s.minLength}–${s.maxLength}）`}` : '';
  const sections = s.sections ? `有：${esc(s.sections.found.join('、') || '无')}${s.sections.missing.length ? `；<span class="warn">缺：${esc(s.sections.missing.join('、'))}</span>` : ''}` : '';
  const images = s.images?.length
    ? s.images.map((im) => `<li${im.small ? ' class="small"' : ''}><code>${esc(im.file)}</code> ${im.width ?? '?'}×${im.height ?? '?'} 像素${im.small ? '（偏小，印刷会模糊）' : ''}${im.caption ? ` ${esc(im.caption)}` : ''}</li>`).join('')
    : '<li>无</li>';
  const warnings = s.warnings?.length ? `<p>导入时注意：</p><ul>${s.warnings.map((w) => `<li class="warn">${esc(w)}</li>`).join('')}</ul>` : '';
  const diagnostics = s.diagnostics?.length
    ? `<table><tr><th>位置</th><th>问题</th><th>规则</th></tr>${s.diagnostics
        .map(
          (d) =>
            `<tr class="${d.severity}"><td>${d.paragraph ? `第 ${d.paragraph} 段<br><q>${esc(quote(d.paragraphText ?? ''))}</q><br>` : ''}${d.line ? `Markdown 第 ${d.line} 行` : ''}</td><td>${esc(d.message)}</td><td><code>${esc(d.ruleId)}</code></td></tr>`,
        )
        .join('')}</table>`
    : '<p>检查没有发现问题。</p>';
  return `<section id="s${i + 1}" class="${s.status}">${head}
<table>${fields}<tr><th>字数</th><td colspan="2">${length}</td></tr><tr><th>小节</th><td colspan="2">${sections}</td></tr></table>
<p>图片：</p><ul>${images}</ul>
${warnings}
${diagnostics}
</section>`;
}

function show(f: FieldValue): string {
  if (f.value === undefined) return '（缺，请补上）';
  return Array.isArray(f.value) ? f.value.join('、') : f.value;
}

/** The start of a paragraph, for quoting it. */
export function quote(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}……` : chars.join('');
}

function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** `共 3 个文件`, or `共 1 个文件、15 个案例` when a book huibian exported came back as its cases. */
function total(result: ImportResult): string {
  const files = new Set(result.submissions.map((s) => s.source)).size;
  return files === result.submissions.length ? `共 ${files} 个文件` : `共 ${files} 个文件、${result.submissions.length} 个案例`;
}
