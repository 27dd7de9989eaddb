/** `huibian preview FILE`: flags → preview() → exit code; Ctrl-C becomes the abort signal that stops the server cleanly. */
import { Command, InvalidArgumentError } from 'commander';
import { preview } from '../index.js';
import { processContext, withInterrupt } from './process.js';

interface PreviewFlags {
  port?: number;
  open?: boolean;
  config?: string;
  once?: boolean;
  out?: string;
  pdf?: boolean;
}

export function previewCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('preview')
    .description('边写边看：把一个案例按汇编的版式排出来，保存后页面自动更新')
    .argument('<file>', '要预览的案例文件（.md），或报送的 Word 文件（.docx、.doc、.wps）')
    .option('-p, --port <n>', '端口（默认自选一个空闲端口）', parsePort)
    .option('--open', '用系统的默认浏览器打开预览页')
    .option('-c, --config <file>', 'huibian.yaml 的路径（默认从案例文件所在文件夹向上查找）')
    .option('--once', '不启动服务：把案例写成 HTML（加 --pdf 再写 PDF）后退出')
    .option('-o, --out <dir>', '与 --once 合用：输出文件夹（默认为配置中的 out）')
    .option('--pdf', '与 --once 合用：同时生成这个案例的 PDF（需要 Chrome、Chromium 或 Edge）')
    .addHelpText(
      'after',
      `
预览服务只在本机（127.0.0.1）上监听。页面用与 huibian compile 相同的模板和样式，按版心宽度排出案例，
上方列出这个案例的检查结果（含行号）；保存案例、它引用的图片、模板或 huibian.yaml 后，页面自动更新并保持滚动位置。
文件有错误时页面显示错误，改正并保存后自动恢复。页面上的“打印效果（PDF）”按印刷的版式生成单个案例的 PDF。

示例：
  huibian preview cases/机关/示例.md
  huibian preview cases/机关/示例.md --port 4000 --open
  huibian preview cases/机关/示例.md --once --out 预览 --pdf
  huibian preview 某单位案例.docx              在 Word 中边改边看（问题指向 Word 的第几段）

退出码：0 正常（服务按 Ctrl-C 停止，或 --once 已写出），1 案例有错误（--once：能排版时照常写出），
2 用法、配置、端口或浏览器问题，130 --once 被 Ctrl-C 中断。`,
    )
    .action(async (file: string, flags: PreviewFlags) => {
      if (!flags.once && (flags.out !== undefined || flags.pdf)) {
        process.stderr.write('huibian：--out 和 --pdf 只能与 --once 一起使用\n');
        return setExit(2);
      }
      const result = await withInterrupt((signal) =>
        preview({
          ...processContext(),
          file,
          configPath: flags.config,
          port: flags.port,
          open: flags.open,
          platform: process.platform,
          once: flags.once ? { outDir: flags.out, pdf: flags.pdf } : undefined,
          signal,
        }),
      );
      setExit(result.exitCode);
    });
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new InvalidArgumentError(`端口应为 1 到 65535 之间的整数，现在是“${value}”`);
  return n;
}
