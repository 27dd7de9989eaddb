#!/usr/bin/env node
/**
 * A second inbox of Word submissions, made from the sample cases in cases/ by OTHER writers than the `docx` package
 * (scripts/make-inbox.js), because every program writes its own XML. Ten writers:
 *   pandoc          .docx with pandoc's styles ("First Paragraph", "Body Text", "Compact", Heading N) and a 目录 control
 *   pandoc-zh       the same renamed to Chinese style names with numeric ids and no outline levels, as WPS saves them
 *   word-markup     the markup Word leaves after editing (split runs, proofing marks, tracked changes, field-code
 *                   links, content controls, smart tags, comments, alternate content), put into a pandoc file
 *   pandoc-rtf      pandoc's RTF (imported through LibreOffice)
 *   lo-docx         pandoc's HTML saved as .docx by LibreOffice; lo-odt: the same through .odt; lo-doc: as Word 97 .doc
 *   gongwen-lo      a 公文 page typed as HTML (附件1, two-line title, unit, date, 一、（一） typed with direct fonts,
 *                   U+3000 indents, soft breaks, lists as LibreOffice's own numbering) saved as .docx by LibreOffice
 *   gongwen-lo-auto the same with 一、 only in LibreOffice's list numbering; gongwen-doc: the typed page as .doc
 * Nothing here is committed as a binary: the files are built into a gitignored or temporary folder.
 *
 *   node scripts/make-foreign-inbox.js [DIR]      (default: test/.foreign-inbox)
 *
 * `makeForeignInbox(dir, { perWriter })` returns, per document, the writer, the source case and its front-matter.
 * LibreOffice runs once per target format for the whole inbox (each start costs seconds).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { jpeg, png, readCase, sampleCases } from './make-inbox.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The writers, each given the sample cases in turn. */
export const writers = ['pandoc', 'pandoc-zh', 'word-markup', 'pandoc-rtf', 'lo-docx', 'lo-odt', 'lo-doc', 'gongwen-lo', 'gongwen-lo-auto', 'gongwen-doc'];

/** The source Markdown of a case, with its images swapped for real PNG/JPEG files (the samples use SVG). */
function prepared(path, work, n) {
  const kase = readCase(path);
  const text = readFileSync(path, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
  let k = 0;
  const body = text.replace(/^!\[(.*)\]\((.*)\)$/gm, (_, caption) => {
    const data = (k++ % 2 === 1 && jpeg(800, 500)) || png(800, 500);
    const file = join(work, `img-${n}-${k}.${data[0] === 0xff ? 'jpg' : 'png'}`);
    writeFileSync(file, data);
    return `![${caption}](${file})`;
  });
  return { kase, body };
}

const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** pandoc: Markdown → .docx, the title in Title and the unit in Author (pandoc's own styles), with a 目录 (Word's TOC). */
function pandocDocx(kase, body, out, work, toc = false) {
  const md = join(work, `${basename(out)}.md`);
  writeFileSync(md, `---\ntitle: '${kase.front.title.replace(/'/g, "''")}'\nauthor: '${kase.front.unit.replace(/'/g, "''")}'\n---\n\n${body}`);
  execFileSync('pandoc', ['-f', 'markdown', '-t', 'docx', ...(toc ? ['--toc', '-M', 'toc-title=目录'] : []), '-o', out, md], { cwd: work });
}

/** pandoc: Markdown → standalone HTML with the images inside (LibreOffice then reads it). */
function pandocHtml(kase, body, out, work) {
  const md = join(work, `${basename(out)}.md`);
  writeFileSync(md, `---\ntitle: '${kase.front.title.replace(/'/g, "''")}'\nauthor: '${kase.front.unit.replace(/'/g, "''")}'\nlang: zh-CN\n---\n\n${body}`);
  execFileSync('pandoc', ['-f', 'markdown', '-t', 'html', '--standalone', '--self-contained', '--metadata', 'pagetitle=x', '-o', out, md], { cwd: work, stdio: ['ignore', 'ignore', 'ignore'] });
  writeFileSync(out, officeFootnotes(readFileSync(out, 'utf8')));
}

/**
 * pandoc's HTML footnotes → the form LibreOffice writes and reads back as real footnotes (sdfootnote anchors), so
 * the Word file has w:footnoteReference, not a list of notes at the end.
 */
function officeFootnotes(page) {
  const notes = new Map();
  page = page.replace(/<section[^>]*class="footnotes[\s\S]*?<\/section>/, (section) => {
    for (const m of section.matchAll(/<li id="fn(\d+)"[^>]*>([\s\S]*?)<\/li>/g)) notes.set(m[1], m[2].replace(/<a href="#fnref\d+"[^>]*>[\s\S]*?<\/a>/g, ''));
    return '';
  });
  page = page.replace(/<a href="#fn(\d+)"[^>]*><sup>\d+<\/sup><\/a>/g, (_, n) => `<a class="sdfootnoteanc" name="sdfootnote${n}anc" href="#sdfootnote${n}sym"><sup>${n}</sup></a>`);
  const divs = [...notes].map(([n, html]) => `<div id="sdfootnote${n}">${html.replace(/<p>/, `<p class="sdfootnote"><a class="sdfootnotesym" name="sdfootnote${n}sym" href="#sdfootnote${n}anc">${n}</a>`)}</div>`);
  return page.replace('</body>', `${divs.join('\n')}\n</body>`);
}

/** A 公文 page as a clerk would type it: direct fonts and sizes, typed ordinals, U+3000 indents, <ol> lists. */
function gongwenHtml(kase, body, auto) {
  const span = (text, font, pt, bold = false) => `<span style="font-family:'${font}';font-size:${pt}pt${bold ? ';font-weight:bold' : ''}">${text}</span>`;
  const noteNo = new Map();
  const inline = (text) =>
    escapeHtml(text)
      .replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
      .replace(/\[\^(\w+)\]/g, (_, id) => {
        if (!noteNo.has(id)) noteNo.set(id, noteNo.size + 1);
        const n = noteNo.get(id);
        return `<a class="sdfootnoteanc" name="sdfootnote${n}anc" href="#sdfootnote${n}sym"><sup>${n}</sup></a>`;
      });
  const out = [];
  // The typed variant heads its page the way a 公文 attachment does: “附件1”, the title with its subtitle on a
  // second line, the unit, the date; the auto-numbered one keeps the title on one line.
  const [main, sub] = kase.front.title.split(/(?=——)/);
  if (!auto) out.push(`<p>${span('附件1', '黑体', 16)}</p>`);
  if (!auto && sub) out.push(...[main, sub].map((t) => `<p align="center" style="text-align:center">${span(escapeHtml(t), '方正小标宋简体', 22)}</p>`));
  else out.push(`<p align="center" style="text-align:center">${span(escapeHtml(kase.front.title), '方正小标宋简体', 22)}</p>`);
  out.push(`<p align="center" style="text-align:center">${span(escapeHtml(kase.front.unit), '楷体_GB2312', 16)}</p>`);
  if (!auto) out.push(`<p align="center" style="text-align:center">${span('2024年6月', '楷体_GB2312', 16)}</p>`);
  let paragraphs = 0;
  const lines = body.split('\n');
  let list = null;
  const closeList = () => {
    if (list) out.push(`</${list}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m;
    if (!/^(\d+\. |- )/.test(line)) closeList();
    if (!line.trim() || /^\[\^\w+\]: /.test(line)) continue;
    if ((m = /^(#{2,4}) (.*)$/.exec(line))) {
      const level = m[1].length;
      const font = level === 2 ? '黑体' : '楷体_GB2312';
      const typed = /^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)(.*)$/.exec(m[2]);
      if (auto && typed && level === 2) {
        // The ordinal only in the numbering: an <ol> of one item that starts at the right number.
        const n = '一二三四五六七八九十'.indexOf(typed[1][0]) + 1;
        // LibreOffice reads no Chinese list type from HTML: upper-roman marks the list, chineseNumbering() sets 一、.
        out.push(`<ol type="I" start="${n}"><li><p>${span(inline(typed[2]), font, 16)}</p></li></ol>`);
      } else out.push(`<p>${span(`\u3000\u3000${inline(m[2])}`, font, 16, level === 4)}</p>`);
    } else if ((m = /^!\[(.*)\]\((.*)\)$/.exec(line))) {
      const data = readFileSync(m[2]);
      const type = data[0] === 0xff ? 'jpeg' : 'png';
      out.push(`<p align="center" style="text-align:center"><img src="data:image/${type};base64,${data.toString('base64')}" width="480" height="300"></p>`);
      out.push(`<p align="center" style="text-align:center">${span(escapeHtml(m[1]), '楷体_GB2312', 14)}</p>`);
    } else if ((m = /^(\d+)\. (.*)$/.exec(line))) {
      if (list !== 'ol') {
        closeList();
        out.push('<ol>');
        list = 'ol';
      }
      out.push(`<li>${span(inline(m[2]), '仿宋_GB2312', 16)}</li>`);
    } else if ((m = /^- (.*)$/.exec(line))) {
      if (list !== 'ul') {
        closeList();
        out.push('<ul>');
        list = 'ul';
      }
      out.push(`<li>${span(inline(m[1]), '仿宋_GB2312', 16)}</li>`);
    } else if (line.startsWith('|')) {
      const rows = [];
      for (; i < lines.length && lines[i].startsWith('|'); i++) if (!/^\|[\s|:-]+\|$/.test(lines[i])) rows.push(lines[i].slice(1, -1).split('|').map((c) => c.trim()));
      i--;
      out.push(`<table border="1" cellspacing="0">${rows.map((r) => `<tr>${r.map((c) => `<td>${span(inline(c), '仿宋_GB2312', 12)}</td>`).join('')}</tr>`).join('')}</table>`);
    } else {
      // Every third paragraph has a soft line break (Shift+Enter) in the middle of its Chinese text.
      const chars = Array.from(line);
      const at = chars.length > 40 && ++paragraphs % 3 === 0 ? chars.findIndex((c, j) => j > chars.length / 2 && /[\u4e00-\u9fff]/.test(c) && /[\u4e00-\u9fff]/.test(chars[j - 1])) : -1;
      const text = at > 0 ? `${inline(chars.slice(0, at).join(''))}<br>${inline(chars.slice(at).join(''))}` : inline(line);
      out.push(`<p>${span(`\u3000\u3000${text}`, '仿宋_GB2312', 16)}</p>`);
    }
  }
  closeList();
  // Footnotes in the form LibreOffice reads back as real ones.
  for (const [id, n] of noteNo) {
    out.push(`<div id="sdfootnote${n}"><p class="sdfootnote"><a class="sdfootnotesym" name="sdfootnote${n}sym" href="#sdfootnote${n}anc">${n}</a>${span(escapeHtml(kase.footnotes[id] ?? ''), '仿宋_GB2312', 12)}</p></div>`);
  }
  return `<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>x</title></head><body>\n${out.join('\n')}\n</body></html>\n`;
}

/** Rename pandoc's styles the way a Chinese WPS saves them: numeric ids, Chinese names, no outline levels. */
function chineseStyles(file) {
  const zip = unzipSync(readFileSync(file));
  const names = { Title: '标题', Author: '作者', BodyText: '正文文本', FirstParagraph: '首段', Compact: '紧凑', Heading1: '标题 1', Heading2: '标题 2', Heading3: '标题 3', Heading4: '标题 4' };
  const ids = Object.fromEntries(Object.keys(names).map((id, i) => [id, String(i + 20)]));
  let styles = strFromU8(zip['word/styles.xml']);
  for (const [id, name] of Object.entries(names)) {
    styles = styles
      .replace(new RegExp(`(<w:style [^>]*w:styleId=")${id}("[^>]*>\\s*<w:name w:val=")[^"]*"`, 'g'), `$1${ids[id]}$2${name}"`)
      .replace(new RegExp(`(<w:(?:basedOn|next|link) w:val=")${id}"`, 'g'), `$1${ids[id]}"`);
  }
  styles = styles.replace(/<w:outlineLvl w:val="\d" \/>/g, '');
  let document = strFromU8(zip['word/document.xml']);
  document = document.replace(/(<w:pStyle w:val=")(\w+)"/g, (m, a, id) => (ids[id] ? `${a}${ids[id]}"` : m));
  zip['word/styles.xml'] = strToU8(styles);
  zip['word/document.xml'] = strToU8(document);
  writeFileSync(file, zipSync(zip));
}

/**
 * The markup Word itself leaves in a document that was edited for a while, put into a pandoc .docx: runs split by
 * revision ids with proofing marks and rendered page breaks between them, tracked insertions and deletions (the
 * deleted text must not come back), a hyperlink as a HYPERLINK field, smart tags, comments, bookmarks mid-word, the
 * title inside a content control, a paragraph inside a block content control, and every picture twice in
 * mc:AlternateContent (DrawingML choice, VML fallback). None of it may change the text a reader sees.
 */
function wordMarkup(file) {
  const zip = unzipSync(readFileSync(file));
  let xml = strFromU8(zip['word/document.xml']);
  let k = 0;
  const run = (rPr, text, extra = '') => `<w:r w:rsidR="00${(k * 7919) % 999983}" w:rsidRPr="00A1B2C3">${rPr}${extra}<w:t xml:space="preserve">${text}</w:t></w:r>`;
  xml = xml.replace(/<w:r>(<w:rPr>(?:(?!<\/w:rPr>).)*<\/w:rPr>)?<w:t xml:space="preserve">([^<&]{9,})<\/w:t><\/w:r>/g, (_, rPr = '', text) => {
    const chars = Array.from(text);
    const a = chars.slice(0, Math.floor(chars.length / 2)).join('');
    const b = chars.slice(Math.floor(chars.length / 2)).join('');
    switch (k++ % 5) {
      case 0:
        return `${run(rPr, a)}<w:proofErr w:type="spellStart"/>${run(rPr, b, '<w:lastRenderedPageBreak/>')}<w:proofErr w:type="spellEnd"/>`;
      case 1:
        return `<w:ins w:id="${9000 + k}" w:author="办公室" w:date="2024-05-06T09:00:00Z">${run(rPr, a)}</w:ins><w:del w:id="${9500 + k}" w:author="办公室" w:date="2024-05-06T09:00:00Z"><w:r>${rPr}<w:delText>删去的旧字句</w:delText></w:r></w:del>${run(rPr, b)}`;
      case 2:
        return `<w:r>${rPr}<w:fldChar w:fldCharType="begin"/></w:r><w:r>${rPr}<w:instrText xml:space="preserve"> HYPERLINK "https://example.org/" \\h </w:instrText></w:r><w:r>${rPr}<w:fldChar w:fldCharType="separate"/></w:r>${run(`<w:rPr><w:rStyle w:val="Hyperlink"/>${rPr.replace(/<\/?w:rPr>/g, '')}</w:rPr>`, a)}<w:r>${rPr}<w:fldChar w:fldCharType="end"/></w:r>${run(rPr, b)}`;
      case 3:
        return `<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="PersonName">${run(rPr, a)}</w:smartTag><w:commentRangeStart w:id="${k}"/>${run(rPr, b)}<w:commentRangeEnd w:id="${k}"/><w:r><w:commentReference w:id="${k}"/></w:r>`;
      default:
        return `${run(rPr, a)}<w:bookmarkStart w:id="${8000 + k}" w:name="_Hlk${k}"/><w:bookmarkEnd w:id="${8000 + k}"/>${run(rPr, b)}`;
    }
  });
  // The title paragraph inside a content control; the fifth paragraph in a block one.
  let n = 0;
  xml = xml.replace(/<w:p>(?:(?!<\/w:p>).)*<\/w:p>/g, (p) => (n++ === 0 || n === 6 ? `<w:sdt><w:sdtPr><w:alias w:val="标题"/><w:id w:val="${n}"/></w:sdtPr><w:sdtContent>${p}</w:sdtContent></w:sdt>` : p));
  xml = xml.replace(/<w:drawing>((?:(?!<\/w:drawing>).)*<a:blip r:embed="(\w+)"(?:(?!<\/w:drawing>).)*)<\/w:drawing>/g, (_, inner, id) =>
    `<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>${inner}</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape style="width:420pt;height:262pt"><v:imagedata r:id="${id}" o:title=""/></v:shape></w:pict></mc:Fallback></mc:AlternateContent>`,
  );
  if (!xml.includes('xmlns:mc=')) xml = xml.replace('<w:document ', '<w:document xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ');
  zip['word/document.xml'] = strToU8(xml);
  writeFileSync(file, zipSync(zip));
}

/**
 * In an .odt LibreOffice wrote, the upper-roman lists become 一、二、 (the list format a Chinese user picks in
 * Writer); LibreOffice then saves them to Word as chineseCountingThousand with `%1、`.
 */
function chineseNumbering(file) {
  const zip = unzipSync(readFileSync(file));
  const content = strFromU8(zip['content.xml']).replace(
    /loext:num-list-format="%(\d)%\." style:num-suffix="\." style:num-format="I"/g,
    'loext:num-list-format="%$1%、" style:num-suffix="、" style:num-format="一, 二, 三, ..."',
  );
  const { mimetype, ...rest } = zip;
  writeFileSync(file, zipSync({ mimetype: [mimetype, { level: 0 }], ...rest, 'content.xml': strToU8(content) }));
}

/** Run soffice once over many inputs into `outDir`; `filter` is the target ("docx:MS Word 2007 XML"). */
export function soffice(inputs, outDir, filter, infilter) {
  if (!inputs.length) return;
  const profile = mkdtempSync(join(tmpdir(), 'foreign-soffice-'));
  try {
    const args = [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--nologo', '--nodefault'];
    if (infilter) args.push(`--infilter=${infilter}`);
    const r = spawnSync(process.env.HUIBIAN_SOFFICE ?? 'soffice', [...args, '--convert-to', filter, '--outdir', outDir, ...inputs], { encoding: 'utf8', timeout: 60_000 + 20_000 * inputs.length });
    if (r.error) throw r.error;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const ext = (writer) => (writer === 'lo-doc' || writer === 'gongwen-doc' ? 'doc' : writer === 'pandoc-rtf' ? 'rtf' : 'docx');

/**
 * Write the inbox: the sample cases given to the writers in turn, `perWriter` cases each (all 15 by default, each
 * case then written by every writer). Returns one entry per file: name, writer, source case path and front-matter.
 */
export async function makeForeignInbox(dir, options = {}) {
  mkdirSync(dir, { recursive: true });
  const use = options.writers ?? writers;
  const cases = sampleCases();
  const perWriter = options.perWriter ?? cases.length;
  const work = mkdtempSync(join(tmpdir(), 'foreign-work-'));
  const docs = [];
  const html = { docx: [], odt: [], doc: [] };
  try {
    for (const [w, writer] of use.entries()) {
      for (let k = 0; k < perWriter; k++) {
        const path = cases[(w * 2 + k) % cases.length];
        const n = docs.length;
        const { kase, body } = prepared(path, work, n);
        const id = kase.front.id ?? basename(path, '.md');
        const stem = `${kase.front.unit.slice(0, 12)}-${id}-${writer}`;
        const name = `${stem}.${ext(writer)}`;
        docs.push({ name, writer, source: relative(root, path), front: { ...kase.front, id } });
        if (writer === 'pandoc-rtf') {
          const md = join(work, `${stem}.md`);
          // pandoc's RTF writer drops figure captions: the caption is typed as the paragraph under the picture.
          const typed = body.replace(/^!\[(.*)\]\((.*)\)$/gm, '![]($2)\n\n$1');
          writeFileSync(md, `---\ntitle: '${kase.front.title.replace(/'/g, "''")}'\nauthor: '${kase.front.unit.replace(/'/g, "''")}'\n---\n\n${typed}`);
          execFileSync('pandoc', ['-f', 'markdown', '-t', 'rtf', '--standalone', '-o', join(dir, name), md], { cwd: work });
          continue;
        }
        if (writer.startsWith('pandoc') || writer === 'word-markup') {
          pandocDocx(kase, body, join(dir, name), work, writer === 'pandoc');
          if (writer === 'pandoc-zh') chineseStyles(join(dir, name));
          if (writer === 'word-markup') wordMarkup(join(dir, name));
          continue;
        }
        const page = join(work, `${stem}.html`);
        if (writer.startsWith('gongwen')) writeFileSync(page, gongwenHtml(kase, body, writer === 'gongwen-lo-auto'));
        else pandocHtml(kase, body, page, work);
        (writer === 'lo-odt' || writer === 'gongwen-lo-auto' ? html.odt : ext(writer) === 'doc' ? html.doc : html.docx).push(page);
      }
    }
    // One LibreOffice start per target format; .odt goes on to .docx in one more.
    const infilter = 'HTML (StarWriter)';
    soffice(html.docx, dir, 'docx:MS Word 2007 XML', infilter);
    soffice(html.doc, dir, 'doc:MS Word 97', infilter);
    soffice(html.odt, work, 'odt:writer8', infilter);
    const odts = html.odt.map((p) => join(work, `${basename(p, '.html')}.odt`)).filter((p) => existsSync(p));
    for (const odt of odts) if (odt.endsWith('-gongwen-lo-auto.odt')) chineseNumbering(odt);
    soffice(odts, dir, 'docx:MS Word 2007 XML');
    for (const d of docs) if (!existsSync(join(dir, d.name))) throw new Error(`${d.writer} 没有写出 ${d.name}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return docs;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? join(root, 'test', '.foreign-inbox');
  const docs = await makeForeignInbox(dir, { perWriter: Number(process.env.PER_WRITER ?? 15) });
  writeFileSync(join(dir, 'docs.json'), JSON.stringify(docs, null, 2));
  process.stdout.write(`${docs.length} 个文件已写到 ${dir}\n`);
}
