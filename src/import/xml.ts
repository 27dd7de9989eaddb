/**
 * The XML parts of a Word package as a small element tree. saxes is a strict, non-validating parser that never reads
 * a DTD, so entities a document declares are never expanded; a DOCTYPE (Word never writes one) is refused outright.
 */
import { SaxesParser } from 'saxes';
import { ImportError } from './zip.js';

/** An element: its qualified name (`w:p`), attributes by qualified name, children in order. Text is a string child. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const maxDepth = 200;

/** Parse one part. Rejects DOCTYPE and undeclared entities with an ImportError naming the part. */
export function parseXml(text: string, part: string): XmlElement {
  const root: XmlElement = { name: '#root', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const parser = new SaxesParser({ xmlns: false, position: false });
  let failure: string | undefined;
  parser.on('doctype', () => {
    failure ??= `${part} 含 DOCTYPE 声明（Word 不会写它，可能是恶意构造的文件）；其中的实体不展开，文件未导入`;
  });
  parser.on('error', (e) => {
    failure ??= /undefined entity/i.test(e.message)
      ? `${part} 使用了未定义的实体（${e.message.replace(/^.*?undefined entity/i, '').trim()}），不展开，文件未导入`
      : `${part} 不是合乎语法的 XML（${e.message}），文件可能已损坏`;
  });
  parser.on('opentag', (node) => {
    // Word nests a few dozen levels at most; a deeper part is hostile, and walking it would overflow the stack.
    if (stack.length > maxDepth) {
      failure ??= `${part} 的 XML 嵌套超过 ${maxDepth} 层，不像 Word 写的文件，未导入`;
      return;
    }
    const element: XmlElement = { name: node.name, attrs: node.attributes as Record<string, string>, children: [] };
    stack[stack.length - 1]!.children.push(element);
    if (!node.isSelfClosing) stack.push(element);
  });
  parser.on('closetag', (node) => {
    if (!node.isSelfClosing && !failure) stack.pop();
  });
  parser.on('text', (t) => {
    // Only text inside w:t, w:instrText and similar matters; whitespace between elements is dropped by readers.
    stack[stack.length - 1]!.children.push(t);
  });
  try {
    parser.write(text.replace(/^\uFEFF/, '')).close();
  } catch (error) {
    failure ??= `${part} 不是合乎语法的 XML（${(error as Error).message}），文件可能已损坏`;
  }
  if (failure) throw new ImportError(failure);
  return root;
}

/** Children of `element` named `name`. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  if (!element) return [];
  return element.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

/** The first child named `name`. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!element) return undefined;
  for (const c of element.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

/** Every descendant named `name`, in document order. */
export function descendants(element: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of element.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}

/** The text directly inside an element. */
export function textOf(element: XmlElement): string {
  return element.children.filter((c): c is string => typeof c === 'string').join('');
}

/** `w:val` of the child named `name`, e.g. val(pPr, 'w:jc'). */
export function val(element: XmlElement | undefined, name: string): string | undefined {
  return child(element, name)?.attrs['w:val'];
}
