/** The command line: commander parses flags, each command calls the library and returns an exit code. Only src/cli reads `process`. */
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../shared/exit-code.js';
import { lintCommand } from './lint.js';
import { compileCommand } from './compile.js';
import { previewCommand } from './preview.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { doctorCommand } from './doctor.js';
import { version } from '../shared/version.js';

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('huibian')
    .description('汇编：把一个文件夹的 Markdown 案例排成案例汇编（网页版 HTML、可付印的 PDF、Word），也能把报送的 Word 文件收成案例')
    .version(version, '-v, --version', '显示版本号')
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [command]', '显示某个命令的帮助')
    .configureOutput({ outputError: (str, write) => write(translateUsageError(str)) })
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
常用流程：
  huibian lint                      检查 cases/ 下的全部案例
  huibian compile                   生成 out/ 下的 HTML 与 PDF
  huibian preview cases/示例.md     边写边看单个案例的排版效果
  huibian import 收件箱/            把报送的 Word 文件转为案例
  huibian init 新汇编/              新建一个汇编的文件夹
  huibian doctor                    查看 huibian 找到的浏览器、LibreOffice、字体和配置

退出码：0 成功（或只有警告），1 有错误，2 用法或配置错误。
文档：README.md`,
    );
  let exitCode: number = ExitCode.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  lintCommand(program, setExit);
  compileCommand(program, setExit);
  previewCommand(program, setExit);
  importCommand(program, setExit);
  initCommand(program, setExit);
  doctorCommand(program, setExit);
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors with 2.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    // A bug, not bad input: one sentence instead of a stack trace (HUIBIAN_DEBUG=1 shows the stack).
    const detail = process.env.HUIBIAN_DEBUG ? String((error as Error)?.stack ?? error) : String((error as Error)?.message ?? error);
    process.stderr.write(`huibian：内部错误：${detail}\n请把这条消息和所用的命令报告给 huibian 的维护者（设置 HUIBIAN_DEBUG=1 可显示详细信息）。\n`);
    return ExitCode.usage;
  }
  return exitCode;
}

/** Commander's usage errors, in Chinese (it has no translations of its own). Unknown wording passes through. */
export function translateUsageError(text: string): string {
  const rules: [RegExp, (...m: string[]) => string][] = [
    [/^error: unknown option '([^']+)'(?:\n\(Did you mean ([^?]+)\?\))?/, (_, o, s) => `用法错误：未知的选项“${o}”${s ? `，是不是“${s}”？` : ''}`],
    [/^error: unknown command '([^']+)'(?:\n\(Did you mean ([^?]+)\?\))?/, (_, c, s) => `用法错误：未知的命令“${c}”${s ? `，是不是“${s}”？` : '，可用的命令：lint、compile、preview、import、init、doctor'}`],
    [/^error: missing required argument '([^']+)'/, (_, a) => `用法错误：缺少参数 ${a}`],
    [/^error: option '([^']+)' argument missing/, (_, o) => `用法错误：选项 ${o} 缺少值`],
    [/^error: too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)\./, (_, c, e, g) => `用法错误：${c ? `${c} ` : ''}的参数太多：应为 ${e} 个，给了 ${g} 个`],
    [/^error: option '([^']+)' argument '([^']*)' is invalid\. Allowed choices are (.+)\./, (_, o, v, c) => `用法错误：选项 ${o} 的值“${v}”不对，应为：${c.split(', ').join('、')}`],
    [/^error: option '([^']+)' argument '([^']*)' is invalid\. ?(.*)/s, (_, o, v, why) => `用法错误：选项 ${o} 的值“${v}”不对${why.trim() ? `：${why.trim()}` : ''}`],
  ];
  for (const [pattern, render] of rules) {
    const m = pattern.exec(text);
    if (m) return `${render(...m)}\n运行 huibian --help 查看用法。\n`;
  }
  return text;
}
