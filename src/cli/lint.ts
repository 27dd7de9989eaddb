/** `huibian lint [paths…]`: flags → lint() → report → exit code. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ExitCode, lint } from '../index.js';
import { formatReport, reportFormats, type ReportFormat } from '../report/index.js';
import { version } from './version.js';

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
    .addHelpText(
      'after',
      `
示例：
  huibian lint                         检查全部案例
  huibian lint cases/机关              只检查一个文件夹
  huibian lint --format github         在 GitHub Actions 中给出行内注释
  huibian lint --format json > r.json  机器可读的结果

退出码：0 没有错误（可有警告），1 有错误或警告超过 --max-warnings，2 用法或配置错误。`,
    )
    .action(async (paths: string[], flags: { config?: string; format: ReportFormat; quiet?: boolean; maxWarnings?: number }) => {
      const cwd = process.cwd();
      const result = await lint({ cwd, configPath: flags.config, paths, maxWarnings: flags.maxWarnings });
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
