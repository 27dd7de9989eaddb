/** `huibian lint [paths…]`: flags → lint() → report → exit code. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { relative } from 'node:path';
import { ExitCode } from '../shared/exit-code.js';
import { lint } from '../workflows/lint.js';
import { fixDiff } from '../lint/fix.js';
import { formatReport, reportFormats, type ReportFormat } from '../report/index.js';
import { version } from '../shared/version.js';

export function lintCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('lint')
    .description('检查案例文件：前置元数据、分类、正文结构、图片和编码')
    .argument('[paths...]', '要检查的文件或文件夹（默认为配置中的案例文件夹）')
    .option('-c, --config <file>', 'huibian.yaml 的路径（默认从当前目录向上查找）')
    .addOption(new Option('-f, --format <format>', '输出格式').choices(reportFormats).default('stylish'))
    .option('-q, --quiet', '只报告错误，不报告警告')
    .option('--max-warnings <n>', '警告多于 n 个时以退出码 1 结束', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < -1) throw new InvalidArgumentError(`应为不小于 0 的整数，现在是“${v}”`);
      return n;
    })
    .option('-j, --jobs <n>', '用几个线程检查（默认按 CPU 核数和文件数决定，一般无需设置；1 表示只用主线程）', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError(`应为 1 到 64 之间的整数，现在是“${v}”`);
      return n;
    })
    .option('--fix', '自动修复能安全修复的问题（就地改写文件；GB18030 文件转为 UTF-8），再报告剩下的问题')
    .option('--fix-dry-run', '只显示 --fix 会做的修改（统一差异格式），不写文件')
    .addHelpText(
      'after',
      `
示例：
  huibian lint                         检查全部案例
  huibian lint cases/机关              只检查一个文件夹
  huibian lint --format github         在 GitHub Actions 中给出行内注释
  huibian lint --format json > r.json  机器可读的结果
  huibian lint --fix-dry-run           先看看 --fix 会改什么

退出码：0 没有错误（可有警告），1 有错误或警告超过 --max-warnings，2 用法或配置错误。`,
    )
    .action(async (paths: string[], flags: { config?: string; format: ReportFormat; quiet?: boolean; maxWarnings?: number; jobs?: number; fix?: boolean; fixDryRun?: boolean }) => {
      const cwd = process.cwd();
      const fix = flags.fixDryRun ? 'dry-run' : flags.fix ? 'write' : undefined;
      const result = await lint({ cwd, configPath: flags.config, paths, maxWarnings: flags.maxWarnings, fix, threads: flags.jobs });
      // The diff goes to stdout before a human report, to stderr when stdout carries a machine format.
      const notes = flags.format === 'stylish' ? process.stdout : process.stderr;
      for (const outcome of result.fixes ?? []) {
        const name = relative(cwd, outcome.path) || outcome.path;
        if (outcome.error && (outcome.applied > 0 || outcome.convertedFrom)) process.stderr.write(`huibian：${name}：${outcome.error}\n`);
        else if (fix === 'dry-run') notes.write(fixDiff(outcome, cwd));
        else if (outcome.written) {
          const converted = outcome.convertedFrom ? `已从 ${outcome.convertedFrom} 转为 UTF-8，` : '';
          process.stderr.write(`已修复 ${name}：${converted}${outcome.applied} 处修改\n`);
        }
      }
      for (const p of result.missing) process.stderr.write(`huibian：路径“${p}”不存在\n`);
      if (result.missing.length) return setExit(result.exitCode); // nothing was checked, so there is no report
      // --quiet hides warnings but --max-warnings still counts them (as in ESLint), so the exit code is the same with or without it.
      if (flags.quiet) for (const f of result.files) f.messages = f.messages.filter((m) => m.fatal);
      // A broken huibian.yaml is a usage error: on stderr for people, on stdout for the machine formats that CI parses.
      const out = result.exitCode === ExitCode.usage && flags.format === 'stylish' ? process.stderr : process.stdout;
      out.write(formatReport(flags.format, result.files, { cwd, color: !!out.isTTY && !process.env.NO_COLOR, version }));
      setExit(result.exitCode);
    });
}
