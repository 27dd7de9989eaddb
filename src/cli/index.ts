/** The command line: commander parses flags, each command calls the library and returns an exit code. Only src/cli reads `process`. */
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../exit-code.js';
import { lintCommand } from './lint.js';
import { compileCommand } from './compile.js';
import { previewCommand } from './preview.js';
import { version } from './version.js';

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('huibian')
    .description('汇编：把一个文件夹的 Markdown 案例排成可付印的案例汇编（HTML 与 PDF）')
    .version(version, '-v, --version', '显示版本号')
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [command]', '显示某个命令的帮助')
    .configureOutput({ outputError: (str, write) => write(str) })
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
常用流程：
  huibian lint                      检查 cases/ 下的全部案例
  huibian compile                   生成 out/ 下的 HTML 与 PDF
  huibian preview cases/示例.md     边写边看单个案例的排版效果

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
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors with 2.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    throw error;
  }
  return exitCode;
}
