/** `huibian init [DIR]`: flags → init() → exit code. */
import type { Command } from 'commander';
import { init } from '../index.js';
import { processContext } from './process.js';
import { version } from '../shared/version.js';

export function initCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('init')
    .argument('[dir]', '新汇编的文件夹（没有就新建；默认为当前文件夹）')
    .description('新建一个案例汇编的文件夹：配置、示例案例、前言、.gitignore 和 CI 工作流')
    .option('--force', '用模板覆盖已有的同名文件')
    .addHelpText(
      'after',
      `
写入的文件：
  huibian.yaml                    配置：书名、版面，以及领域、举措、工作机制的分类（带注释，照着改）
  cases/示例案例.md                一个能通过检查的示例案例
  preface.md                      前言
  .gitignore                      不把 out/ 和 node_modules/ 纳入版本管理
  package.json                    让 npx huibian 用固定版本的 huibian
  .github/workflows/huibian.yml   GitHub Actions：每次提交检查案例并编出成书

已有同名文件时不写任何文件（退出码 2），除非加 --force。

示例：
  huibian init 融合案例汇编          新建文件夹“融合案例汇编”并写入上述文件
  huibian init                       在当前文件夹中写入
  cd 融合案例汇编 && huibian lint && huibian compile

退出码：0 成功，2 已有同名文件或无法写入（没有改动任何文件）。`,
    )
    .action(async (dir: string | undefined, flags: { force?: boolean }) => {
      const { cwd, streams } = processContext();
      const result = await init({ cwd, dir, force: flags.force, streams, version });
      setExit(result.exitCode);
    });
}
