/** `huibian init`: a new compilation folder from templates/init/, written all at once, never over a user's file unless forced. */
import { lstat, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../shared/exit-code.js';
import type { Streams } from '../shared/streams.js';
import { writeOutputs } from '../shared/write-outputs.js';

/** The starter files shipped with huibian. */
export const initTemplateDir = fileURLToPath(new URL('../../templates/init/', import.meta.url));

/**
 * What init writes: template file → path in the new folder. Dot files are stored without their dot because npm leaves
 * `.gitignore` out of a published package.
 */
export const initFiles: readonly { template: string; target: string }[] = [
  { template: 'huibian.yaml', target: 'huibian.yaml' },
  { template: 'preface.md', target: 'preface.md' },
  { template: 'cases/示例案例.md', target: 'cases/示例案例.md' },
  { template: 'gitignore', target: '.gitignore' },
  { template: 'package.json', target: 'package.json' },
  { template: 'github-workflow.yml', target: '.github/workflows/huibian.yml' },
];

export interface InitOptions {
  cwd: string;
  /** The new compilation's folder (created if missing); default: cwd. */
  dir?: string;
  /** Overwrite files that already exist. */
  force?: boolean;
  streams: Streams;
  /** huibian's version, for the package.json written. */
  version: string;
  /** For the date in huibian.yaml; default now. */
  now?: Date;
}

export interface InitResult {
  exitCode: ExitCode;
  /** The compilation's root. */
  root: string;
  /** Paths written, relative to root, with `/`. */
  written: string[];
}

export async function init(options: InitOptions): Promise<InitResult> {
  const root = resolve(options.cwd, options.dir ?? '.');
  const shown = relative(options.cwd, root) || '.';
  const fail = (message: string): InitResult => {
    options.streams.stderr.write(`huibian init：${message}\n`);
    return { exitCode: ExitCode.usage, root, written: [] };
  };
  const rootStat = await lstat(root).catch(() => undefined);
  if (rootStat && !rootStat.isDirectory()) return fail(`“${shown}”已存在且不是文件夹；请换一个文件夹名`);

  // Check every target before writing any, so a refusal changes nothing.
  const existing: string[] = [];
  for (const { target } of initFiles) {
    const path = join(root, target);
    const found = await lstat(path).catch(() => undefined);
    if (found?.isDirectory()) return fail(`“${join(shown, target)}”是一个文件夹，huibian init 要在那里写文件；请移走它或换一个文件夹`);
    if (found) existing.push(target);
    // A file where a folder of ours must go (cases, .github …) is a conflict --force cannot fix.
    for (let dir = parentOf(target); dir; dir = parentOf(dir)) {
      const d = await lstat(join(root, dir)).catch(() => undefined);
      if (d && !d.isDirectory()) return fail(`“${join(shown, dir)}”是一个文件，但 huibian init 要在那里建文件夹；请移走它或换一个文件夹`);
    }
  }
  if (existing.length && !options.force) {
    return fail(
      `${shown === '.' ? '当前文件夹' : `“${shown}”`}中已有下列文件，没有改动任何文件：\n${existing.map((t) => `  ${t}`).join('\n')}\n` +
        '要在别处新建汇编，请给出一个新的文件夹名（huibian init 新汇编）；确要用模板覆盖这些文件，加上 --force。',
    );
  }

  const now = options.now ?? new Date();
  const date = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const outputs = await Promise.all(
    initFiles.map(async ({ template, target }) => ({
      path: join(root, target),
      data: (await readFile(join(initTemplateDir, template), 'utf8')).replaceAll('{{date}}', date).replaceAll('{{version}}', options.version),
    })),
  );
  try {
    await writeOutputs(outputs);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return fail(`无法写入“${e.path ? relative(options.cwd, e.path) || e.path : shown}”（${e.code ?? e.message}）；没有写入任何文件，请检查文件夹的权限`);
  }

  const written = initFiles.map((f) => f.target);
  const cd = shown === '.' ? '' : `  cd ${/\s/.test(shown) ? `"${shown}"` : shown}\n`;
  options.streams.stdout.write(
    `已在${shown === '.' ? '当前文件夹' : `“${shown}”`}建立新的案例汇编${existing.length ? `（覆盖了 ${existing.join('、')}）` : ''}：\n` +
      written.map((t) => `  ${t}`).join('\n') +
      `\n\n下一步：\n${cd}` +
      '  编辑 huibian.yaml：书名、编印单位，以及领域、举措、工作机制的分类\n' +
      '  在 cases/ 中写案例（照着 cases/示例案例.md），或用 huibian import 导入报送的 Word 文件\n' +
      '  huibian lint       检查案例\n' +
      '  huibian compile    生成 out/ 下的 HTML 与 PDF\n',
  );
  return { exitCode: ExitCode.ok, root, written };
}

function parentOf(target: string): string | undefined {
  const i = target.lastIndexOf('/');
  return i > 0 ? target.slice(0, i) : undefined;
}
