/** `huibian doctor`: flags → doctor() → exit code. */
import { Option, type Command } from 'commander';
import { doctor } from '../index.js';
import { processContext } from './process.js';

export function doctorCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('doctor')
    .description('查看 huibian 找到的浏览器、LibreOffice、字体和配置，缺什么、怎么补')
    .option('-c, --config <file>', 'huibian.yaml 的路径（默认从当前目录向上查找）')
    .addOption(new Option('-f, --format <format>', '输出格式').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
逐项列出（✓ 找到，! 可选项缺少或有问题，✗ 生成汇编必需而缺少），缺少的附上修复办法：
  Node.js                版本是否满足要求
  配置文件               找到的 huibian.yaml，及其中的错误
  浏览器                 生成 PDF 用的 Chrome/Chromium/Edge 的路径与版本（查找顺序同 huibian compile）
  LibreOffice            导入 .doc、.wps 用的 soffice 的路径与版本（huibian.yaml 的 import.soffice、
                         环境变量 HUIBIAN_SOFFICE、PATH、常见安装位置）
  字体                   内置字体和 huibian.yaml 中 fonts 指定的字体是否安装、是否 TrueType
                         （非 TrueType 字体在 PDF 中可能成为印刷厂不收的 Type 3 字体）

示例：
  huibian doctor                       在汇编的根目录检查
  huibian doctor --format json         机器可读的结果（{ ok, checks: [{ id, label, status, … }] }）
  huibian doctor --config 汇编/huibian.yaml

退出码：0 生成汇编所需的（Node.js、huibian.yaml、浏览器、内置字体）都齐备，1 缺少其中之一，2 用法错误。`,
    )
    .action(async (flags: { config?: string; format: 'text' | 'json' }) => {
      const { cwd, streams, env } = processContext();
      const result = await doctor({ cwd, configPath: flags.config, env, streams, format: flags.format });
      setExit(result.exitCode);
    });
}
