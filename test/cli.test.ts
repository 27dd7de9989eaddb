/** The command line as a process: --help teaches every command, usage errors are Chinese sentences with exit code 2. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/huibian.js', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('huibian CLI', () => {
  it('--help lists every command with exit codes, and each command has its own help with examples', () => {
    const top = run('--help');
    expect(top.code).toBe(0);
    for (const cmd of ['lint', 'compile', 'preview']) expect(top.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    expect(top.stdout).toContain('退出码');
    for (const cmd of ['lint', 'compile', 'preview']) {
      const help = run(cmd, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('示例');
      expect(help.stdout).toContain('退出码');
    }
  });

  it.each([
    [['lint', '--bogus'], '用法错误：未知的选项“--bogus”'],
    [['lnt'], '用法错误：未知的命令“lnt”，是不是“lint”？'],
    [['preview'], '用法错误：缺少参数 file'],
    [['lint', '--format', 'xml'], '的值“xml”不对，应为：stylish、json、github、sarif'],
    [['compile', '--format', 'epub'], '未知的格式“epub”，应为：html、pdf、docx'],
    [['lint', '--jobs', '0'], '选项 -j, --jobs <n> 的值“0”不对：应为 1 到 64 之间的整数'],
  ])('huibian %j is a usage error in Chinese with exit code 2', (args, message) => {
    const r = run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/error:|\n\s+at /);
  });

  it('with no command shows the help on stderr and exits 2', () => {
    const r = run();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Commands:');
  });
});
