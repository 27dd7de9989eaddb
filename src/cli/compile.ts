/** `huibian compile`: flags → compile() → exit code; Ctrl-C becomes an abort signal so the browser is closed and outputs stay intact. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultFormats, outputFormats, type OutputFormat } from '../shared/output-formats.js';
import { compile, compileWatch } from '../index.js';
import { processContext, withInterrupt } from './process.js';

export function compileCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('compile')
    .description('生成案例汇编：网页版 HTML、可付印的 PDF，以及（--format docx）供审稿的 Word 文档')
    .option('-c, --config <file>', 'huibian.yaml 的路径（默认从当前目录向上查找）')
    .option('-o, --out <dir>', '输出文件夹（默认为配置中的 out）')
    .addOption(new Option('-f, --format <formats>', '输出格式，逗号分隔：html、pdf、docx（Word）').argParser(parseFormats).default([...defaultFormats], 'html,pdf'))
    .option('--include-drafts', '也收入标为 draft: true 的草稿案例')
    .option('-w, --watch', '生成后继续监视：保存案例、图片、前言、模板或 huibian.yaml 后自动重新生成（浏览器常驻，按 Ctrl-C 停止）')
    .option('--no-cache', '不用也不更新 .cache/huibian 中上次排好的分段，全部重新排版')
    .addHelpText(
      'after',
      `
先检查全部案例（同 huibian lint）：有错误就停下并列出错误，不生成文件；只有警告时照常生成。
输出写到 <out>/<name>.html 与 <out>/<name>.pdf（name、out 见 huibian.yaml）。生成 PDF 需要
Chrome、Chromium 或 Edge：依次查找 huibian.yaml 的 browser.executablePath、环境变量
PUPPETEER_EXECUTABLE_PATH、Puppeteer 的缓存和系统中常见的安装位置。
设置环境变量 SOURCE_DATE_EPOCH（秒）可固定 PDF 中的日期；否则用 huibian.yaml 的 date。
PDF 按段排版，排好的段存在 huibian.yaml 旁的 .cache/huibian/pdf：再次生成时，内容和页码都没变的
段直接沿用，只重排改动过的段，结果与全部重排逐字节相同。这个文件夹可随时删除（最多占 512 MB）。

加 --watch 边改边出书：先照常生成一次，然后监视案例文件夹（含子文件夹和其中的图片）、前言、模板文件夹和
huibian.yaml；每次保存后自动重新生成，并打印一行：第几次、多少页、排版了几次、用时多少。浏览器一直开着，
书也留在浏览器里（只换内容），省去每次启动和载入的时间。改出错误时列出错误，原有的输出文件保持上一版，改正并保存后接着生成。

示例：
  huibian compile                          生成 out/ 下的 HTML 与 PDF
  huibian compile --format html            只生成 HTML（不需要浏览器）
  huibian compile --format html,pdf,docx   另出一份 Word 文档 out/<name>.docx，供送审修改（不需要浏览器）
  huibian compile --out 印刷稿 --include-drafts
  huibian compile --config 汇编/huibian.yaml
  huibian compile --watch                  边改边生成；另开一个窗口看 out/ 下的 PDF

退出码：0 成功（可有警告），1 案例有错误，2 用法、配置或浏览器问题，130 被 Ctrl-C 中断（原有输出保持不变）。
--watch 按 Ctrl-C 停止时为 0（正在生成的一次作废，输出保持上一版）；找不到 huibian.yaml 时为 2。`,
    )
    .action(async (flags: { config?: string; out?: string; format: OutputFormat[]; includeDrafts?: boolean; watch?: boolean; cache: boolean }) => {
      const result = await withInterrupt<{ exitCode: number }>((signal) => {
        const options = { ...processContext(), configPath: flags.config, outDir: flags.out, formats: flags.format, includeDrafts: flags.includeDrafts, cache: flags.cache, signal };
        return flags.watch ? compileWatch(options) : compile(options);
      });
      setExit(result.exitCode);
    });
}

function parseFormats(value: string): OutputFormat[] {
  const formats = value.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = formats.filter((f) => !(outputFormats as readonly string[]).includes(f));
  if (unknown.length || formats.length === 0) {
    throw new InvalidArgumentError(`未知的格式“${unknown.join(',') || value}”，应为：${outputFormats.join('、')}（可用逗号分隔多个）`);
  }
  return formats as OutputFormat[];
}
