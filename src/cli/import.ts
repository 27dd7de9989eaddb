/** `huibian import <files or folders…>`: flags → importCases() → summary (or JSON) → exit code. */
import { Command, Option } from 'commander';
import { processContext, withInterrupt } from './process.js';

export function importCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('import')
    .description('收件：把报送的 Word 文件（.docx、.doc、.wps）转为案例，并写出收件报告')
    .argument('<paths...>', 'Word 文件或装着它们的文件夹')
    .option('-c, --config <file>', 'huibian.yaml 的路径（默认从当前目录向上查找）')
    .option('-r, --roster <file>', '汇总表（.xlsx 或 .csv）：按文件名或单位给出 领域、举措、工作机制')
    .option('-t, --to <dir>', '案例写到哪个文件夹（默认为配置中的 cases）')
    .option('--force', '覆盖已有的同名案例和图片（默认跳过并说明）')
    .addOption(new Option('-f, --format <format>', '结果的输出格式').choices(['stylish', 'json']).default('stylish'))
    .addHelpText(
      'after',
      `
每个 Word 文件成为一个案例 <to>/<文件名>.md，图片写到 <to>/images/ 下；front-matter 的
title 取自文档的标题，unit 取自汇总表或标题下一行，sector、measure、mechanism 取自汇总表；
没有汇总表时按单位名称推测 sector（关键词见 huibian.yaml 的 import.sectorKeywords），measure 和
mechanism 留空，由 huibian lint 提示补上。每次运行都写出 <out>/收件报告.html：每个文件的各项
取自哪里、字数、小节、图片，以及检查出的问题对应 Word 的第几段。
.doc 和 .wps 需要 LibreOffice（import.soffice、环境变量 HUIBIAN_SOFFICE、PATH 中的 soffice）。
huibian 自己导出的书（compile --format docx，审改后交回）按案例拆开：每个案例写到
<to>/<领域>/<id>.md（不给 --to 时为 <out>/<文件名>/），修订按“接受全部修订”读，可与 cases/ 逐个比对。

示例：
  huibian import 收件箱/                         导入一个文件夹中的全部 Word 文件
  huibian import 收件箱/ --roster 汇总表.xlsx      用汇总表填写领域、举措和工作机制
  huibian import 某单位.docx --to cases/高校 --force
  huibian import 收件箱/ --format json > 收件.json
  huibian import out/案例汇编-审阅稿.docx --to 审阅稿   读回审改过的书，再 diff -r cases 审阅稿

退出码：0 全部导入（或因已存在而跳过），1 有文件无法导入，2 用法或配置错误。`,
    )
    .action(async (paths: string[], flags: { config?: string; roster?: string; to?: string; force?: boolean; format: 'stylish' | 'json' }) => {
      const context = processContext();
      // Loaded when the command runs, so that `huibian lint` does not start up the Word reader.
      const { importCases } = await import('../workflows/import.js');
      const { intakeJson, intakeSummary } = await import('../import/report.js');
      const result = await withInterrupt((signal) =>
        importCases({ cwd: context.cwd, streams: context.streams, env: context.env, configPath: flags.config, inputs: paths, roster: flags.roster, to: flags.to, force: flags.force, signal }),
      );
      if (result.configFile) {
        // A broken huibian.yaml: its messages with their line and column, as lint shows them.
        const { formatStylish } = await import('../report/stylish.js');
        context.streams.stderr.write(formatStylish([result.configFile], { cwd: context.cwd, color: context.color }));
      } else if (result.usage) {
        for (const line of result.usage) context.streams.stderr.write(`huibian：${line}\n`);
      } else if (flags.format === 'json') context.streams.stdout.write(intakeJson(result));
      else context.streams.stderr.write(intakeSummary(result));
      setExit(result.exitCode);
    });
}
